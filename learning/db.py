"""The declarative base, constraint naming and the column types every domain shares."""

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Session, SessionTransaction
from sqlalchemy.sql.visitors import InternalTraversal

Collected = TypeVar("Collected")
_COLLECTED = "carbonlit.collected_before_commit"
# Execution options of a read-only request's connection on PostgreSQL (api.Blueprint.read_only).
READ_ONLY = "carbonlit_read_only"
READ_ONLY_OPTIONS = {"isolation_level": "AUTOCOMMIT", READ_ONLY: True}

# Ids are PostgreSQL integers: no row has a larger one, and a larger number must not reach a
# query, where PostgreSQL would refuse it as out of range.
LARGEST_ID = 2**31 - 1

# Stable constraint names keep migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model: the naming convention and UTC-aware timestamps."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class InIds(sa.sql.expression.ColumnElement[bool]):
    """`column IN (the ids bound as name)`, for the hot statements that take a list of ids (a
    class's learners, a page of circles).

    On PostgreSQL the list is one array parameter (`column = ANY(:name)`): an IN list would be
    re-rendered by SQLAlchemy with a parameter per id on every execution, which costs about a
    millisecond for a class of thirty. SQLite has no arrays and gets the usual IN list.
    """

    inherit_cache = True
    type = sa.Boolean()
    # A comparison, not a boolean column: else a database without a boolean type (SQLite)
    # gets `IN (...) = 1`, which no index serves.
    _is_implicitly_boolean = True
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("name", InternalTraversal.dp_string),
    ]

    def __init__(self, column: sa.ColumnElement, name: str) -> None:
        self.column = column
        self.name = name


@compiles(InIds)
def _in_list(element: InIds, compiler, **kw) -> str:
    return compiler.process(element.column.in_(sa.bindparam(element.name, expanding=True)), **kw)


@compiles(InIds, "postgresql")
def _any_of_array(element: InIds, compiler, **kw) -> str:
    ids = sa.bindparam(element.name, type_=ARRAY(sa.Integer))
    return compiler.process(element.column == sa.any_(ids), **kw)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware, SQLite included."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """Now, in UTC; the default of every timestamp column."""
    return datetime.now(UTC)


def as_json(row: Base, *, exclude: tuple[str, ...] = ()) -> dict:
    """A row's columns as JSON values (times in ISO 8601, UUIDs as text): what a personal data
    export hands over, column by column, so that nothing held is left out by accident."""
    values = {}
    for column in sa.inspect(row).mapper.column_attrs:
        if column.key in exclude:
            continue
        value = getattr(row, column.key)
        if isinstance(value, datetime | date | time):
            value = value.isoformat()
        elif isinstance(value, uuid.UUID):
            value = str(value)
        values[column.key] = value
    return values


def collect_before_commit(
    session: Session,
    key: str,
    make: Callable[[], Collected],
    write: Callable[[Collected], None],
) -> Collected:
    """What this transaction has collected under key (make() the first time); write(it) runs
    once, in the transaction, just before it commits, and a rollback forgets it.

    Work that each of many events of one transaction would cause (points for fifty lessons
    synced at once, badge checks after each award) is gathered here and done once. Work that
    write() collects again runs after it, until nothing is left.
    """
    collected = session.info.setdefault(_COLLECTED, {})
    if key not in collected:
        collected[key] = (make(), write)
    return collected[key][0]


@sa.event.listens_for(Session, "before_commit")
def _write_collected(session: Session) -> None:
    # A savepoint's release is not the end of the transaction (and may still be rolled back).
    if session.in_nested_transaction():
        return
    collected = session.info.get(_COLLECTED)
    while collected:
        value, write = collected.pop(next(iter(collected)))
        write(value)


@sa.event.listens_for(Session, "after_transaction_end")
def _forget_collected(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_COLLECTED, None)


class WriteInReadOnlyRequest(RuntimeError):
    """A view marked read-only wrote: without a transaction, its writes would not be atomic."""


@sa.event.listens_for(sa.Engine, "before_cursor_execute")
def _refuse_writes_without_transaction(conn, _cursor, statement, *_args) -> None:
    if conn.get_execution_options().get(READ_ONLY) and statement.lstrip()[:6].upper() not in (
        "SELECT",
        "WITH",
    ):
        raise WriteInReadOnlyRequest(f"a read-only view ran: {statement[:80]}")
