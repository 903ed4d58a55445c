"""Outbox fixtures: a frozen clock, recipients, a local SMTP server and a queueing helper."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
import time_machine

from learning.extensions import db
from learning.notifications import services
from learning.notifications.models import OutboxMessage
from tests.notifications.smtp import LocalSmtpServer

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def recipient(make_user):
    """A new user id: recipient(locale="fr")."""

    def make(locale="en") -> int:
        user_id, _ = make_user(locale=locale)
        return user_id

    return make


@pytest.fixture
def queue(app):
    """Queue a message and commit, as a domain's use case would."""

    def send(user_id: int, **fields) -> bool:
        message = {
            "kind": "test",
            "subject": {"en": "Hello", "fr": "Bonjour", "nl": "Hallo"},
            "body": {"en": "Hello there", "fr": "Bonjour à vous", "nl": "Hallo daar"},
            **fields,
        }
        with app.app_context():
            queued = services.queue(user_id=user_id, **message)
            db.session.commit()
            return queued

    return send


@pytest.fixture
def messages(app):
    """The outbox's rows, oldest first."""

    def rows(**filters) -> list[OutboxMessage]:
        with app.app_context():
            found = db.session.scalars(
                sa.select(OutboxMessage).filter_by(**filters).order_by(OutboxMessage.id)
            ).all()
            db.session.expunge_all()
            return found

    return rows


@pytest.fixture
def mail(app):
    with LocalSmtpServer() as server:
        app.config.update(server.settings())
        yield server


@pytest.fixture
def send_due(app):
    """One run of the sender, as `flask notify send` does it."""

    def run(**kwargs) -> services.SendSummary:
        with app.app_context():
            return services.send_due(**kwargs)

    return run
