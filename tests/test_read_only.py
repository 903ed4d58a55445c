"""Read-only views on PostgreSQL run their statements without a transaction (Blueprint.read_only):
a write in one fails before it reaches the database, and the connection goes back to the pool
transactional again, so the next request's writes are atomic as ever."""

import pytest
import sqlalchemy as sa

from learning.api import Blueprint
from learning.db import WriteInReadOnlyRequest
from learning.extensions import db

pytestmark = pytest.mark.postgresql_only

SIGNED_IN = {"Authorization": "Bearer a token"}


def _name_of(user_id: int) -> str:
    return db.session.scalar(
        sa.text("SELECT display_name FROM users WHERE id = :id"), {"id": user_id}
    )


def _autocommit() -> bool:
    """Whether the session's database connection commits each statement on its own."""
    return db.session.connection().connection.driver_connection.autocommit


@pytest.fixture
def user_id(app, make_user):
    user_id, _email = make_user(display_name="Before")
    return user_id


def test_a_read_only_view_reads_outside_a_transaction(app, user_id):
    @Blueprint.read_only
    def view():
        return _name_of(user_id), _autocommit()

    with app.test_request_context(headers=SIGNED_IN):
        assert view() == ("Before", True)
        db.session.remove()


def test_a_write_in_a_read_only_view_fails_and_writes_nothing(app, user_id):
    @Blueprint.read_only
    def view():
        db.session.execute(
            sa.text("UPDATE users SET display_name = 'After' WHERE id = :id"), {"id": user_id}
        )

    with app.test_request_context(headers=SIGNED_IN):
        with pytest.raises(WriteInReadOnlyRequest):
            view()
        db.session.remove()
    with app.app_context():
        assert _name_of(user_id) == "Before"


def test_the_next_request_on_the_same_connection_has_a_transaction_again(app, user_id):
    @Blueprint.read_only
    def view():
        return _name_of(user_id)

    with app.test_request_context(headers=SIGNED_IN):
        view()
        db.session.remove()
    with app.app_context():
        db.session.execute(
            sa.text("UPDATE users SET display_name = 'After' WHERE id = :id"), {"id": user_id}
        )
        assert not _autocommit()
        db.session.rollback()
        assert _name_of(user_id) == "Before"
        db.session.remove()


def test_without_a_token_the_view_runs_as_usual(app, user_id):
    @Blueprint.read_only
    def view():
        return _autocommit()

    with app.test_request_context():
        assert view() is False
        db.session.remove()
