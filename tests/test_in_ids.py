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


def test_postgresql_binds_one_array_and_sqlite_an_id_each(app, user_ids):
    statements = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            db.session.scalars(_USERS_IN, {"ids": user_ids}).all()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
        dialect = db.engine.dialect.name
    ((statement, parameters),) = statements
    if dialect == "postgresql":
        assert "= ANY (" in statement
        assert parameters == {"ids": user_ids}
    else:
        assert " IN (?, ?, ?)" in statement
        assert list(parameters) == user_ids
