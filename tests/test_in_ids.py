"""InIds, the `column IN ids` of the hot statements: one array parameter on PostgreSQL, an IN
list on SQLite, and the same rows on both, whatever the number of ids."""

import pytest
import sqlalchemy as sa

from learning.accounts.models import User
from learning.db import InIds
from learning.extensions import db

_USERS_IN = sa.select(User.id).where(InIds(User.id, "ids")).order_by(User.id)


@pytest.fixture
def user_ids(app, make_user):
    return [make_user()[0] for _ in range(3)]


@pytest.mark.parametrize("picked", [[], [0], [0, 2], [0, 1, 2]])
def test_it_finds_exactly_the_rows_whose_id_is_listed(app, user_ids, picked):
    wanted = [user_ids[index] for index in picked]
    with app.app_context():
        found = db.session.scalars(_USERS_IN, {"ids": [*wanted, 2**31 - 1]}).all()
    assert found == wanted


def _sent(app, ids):
    """The statement and parameters that reach the driver when _USERS_IN runs with ids."""
    statements = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            db.session.scalars(_USERS_IN, {"ids": ids}).all()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
    ((statement, parameters),) = statements
    return statement, parameters


def test_postgresql_binds_one_array_and_sqlite_an_id_each(app, user_ids):
    statement, parameters = _sent(app, user_ids)
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect == "postgresql":
        assert "WHERE users.id = ANY (%(ids)s::INTEGER[]) ORDER BY" in statement
        assert parameters == {"ids": user_ids}
    else:
        assert "WHERE users.id IN (?, ?, ?) ORDER BY" in statement
        assert list(parameters) == user_ids


@pytest.mark.skipif(
    "config.getoption('--db') != 'sqlite'",
    reason="SQLite's query plan; PostgreSQL binds an array, whose plan depends on its statistics",
)
def test_sqlite_looks_the_ids_up_in_the_index(app, user_ids):
    """Compared with `= 1`, as SQLite gets for a bare boolean, the IN list made SQLite read
    every row: a class matrix took 300 ms at large scale."""
    statement, parameters = _sent(app, user_ids)
    with app.app_context():
        cursor = db.session.connection().connection.cursor()
        plan = [row[-1] for row in cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]
    assert any(step.startswith("SEARCH users USING INTEGER PRIMARY KEY") for step in plan), plan
