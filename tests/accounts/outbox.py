"""Reading what the accounts domain queued in the outbox, and the tokens its links carry."""

import re

import sqlalchemy as sa

from learning.extensions import db
from learning.notifications.models import OutboxMessage

RESET_TOKEN = re.compile(r"#token=(\S+)")


def queued(app, **filters) -> list[OutboxMessage]:
    """The outbox's rows matching filters, oldest first, detached from the session."""
    with app.app_context():
        found = db.session.scalars(
            sa.select(OutboxMessage).filter_by(**filters).order_by(OutboxMessage.id)
        ).all()
        db.session.expunge_all()
        return found


def reset_token(message: OutboxMessage) -> str:
    (token,) = RESET_TOKEN.findall(message.body)
    return token
