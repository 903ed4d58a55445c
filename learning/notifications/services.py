"""The outbox's rules: queueing in the caller's transaction, withdrawing, and delivering once.

Other domains call `queue` and `cancel` inside their own transaction, so a message exists if
and only if what caused it was committed. `send_due` (the `flask notify send` command, run by
cron) claims due messages with a lease before delivering them: on PostgreSQL the claim skips
rows another sender has locked (FOR UPDATE SKIP LOCKED), on SQLite the claiming UPDATE re-checks
each row under the single write lock, so two senders running at once never deliver the same
message.
"""

import logging
import smtplib
import ssl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from learning.accounts.models import User
from learning.db import as_json, utcnow
from learning.errors import InvalidInput
from learning.extensions import db
from learning.notifications.models import OutboxMessage

log = logging.getLogger(__name__)

FALLBACK_LANGUAGE = "en"
# Long enough for one batch to be delivered; a sender that died lets its claims lapse after it.
CLAIM_LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 5
BATCH_SIZE = 20


@dataclass(frozen=True)
class SendSummary:
    """What one run of the sender did."""

    sent: int
    failed: int


def _choose_language(available: Mapping[str, str], locale: str) -> str:
    """The recipient's language, else English, else whatever the caller wrote."""
    for language in (locale, FALLBACK_LANGUAGE):
        if language in available:
            return language
    return next(iter(available))


def queue(
    *,
    user_id: int,
    kind: str,
    subject: Mapping[str, str],
    body: Mapping[str, str],
    send_after: datetime | None = None,
    expires_at: datetime | None = None,
    dedupe_key: str | None = None,
) -> bool:
    """Queue a message to a user in the caller's transaction; the caller commits.

    subject and body map languages (nl, fr, en) to text already rendered; the recipient's
    locale picks one. A message not sent by expires_at is dropped. Returns False, queueing
    nothing, when a message with the same dedupe_key was queued before (sent or not) or when
    the recipient's account is gone.
    """
    if not subject or set(subject) != set(body):
        raise InvalidInput("A message needs a subject and a body in the same languages.")
    recipient = db.session.get(User, user_id)
    if recipient is None:
        return False
    language = _choose_language(subject, recipient.locale)
    values = {
        "user_id": user_id,
        "kind": kind,
        "language": language,
        "subject": subject[language],
        "body": body[language],
        "dedupe_key": dedupe_key,
        "send_after": send_after or utcnow(),
        "expires_at": expires_at,
        "created_at": utcnow(),
        "attempts": 0,
    }
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(OutboxMessage)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxMessage.id)
    )
    return db.session.execute(statement).scalar_one_or_none() is not None


def cancel(*, key_prefix: str, user_id: int | None = None) -> int:
    """Withdraw unsent messages whose dedupe key starts with key_prefix, for one recipient or
    for all, in the caller's transaction; returns how many."""
    query = sa.delete(OutboxMessage).where(
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.dedupe_key.startswith(key_prefix, autoescape=True),
    )
    if user_id is not None:
        query = query.where(OutboxMessage.user_id == user_id)
    return db.session.execute(query.execution_options(synchronize_session=False)).rowcount


def _claimable(now: datetime):
    return (
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.send_after <= now,
        OutboxMessage.attempts < MAX_ATTEMPTS,
        sa.or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        sa.or_(OutboxMessage.expires_at.is_(None), OutboxMessage.expires_at > now),
    )


def _claim(limit: int) -> list[int]:
    """Claim up to limit due messages for this sender and commit the claim.

    On PostgreSQL the SELECT locks the rows it returns and skips those another sender holds;
    the UPDATE repeats the conditions, so that on SQLite, where the SELECT locks nothing, a
    row another sender claimed meanwhile is not claimed again (RETURNING says which were).
    """
    now = utcnow()
    due = db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(*_claimable(now))
        .order_by(OutboxMessage.send_after, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not due:
        db.session.rollback()
        return []
    claimed = db.session.scalars(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(due), *_claimable(now))
        .values(claimed_until=now + CLAIM_LEASE, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return sorted(claimed)


def _email(message: OutboxMessage, recipient: User) -> EmailMessage:
    config = current_app.config
    sender = config["MAIL_FROM"]
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    email = EmailMessage()
    email["From"] = sender
    email["To"] = recipient.email
    email["Subject"] = message.subject
    # Stable per message, so that a mail system can drop a copy resent after a crash.
    email["Message-ID"] = f"<outbox.{message.id}@{domain}>"
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body)
    # After set_content, which replaces every Content-* header.
    email["Content-Language"] = message.language
    return email


class _LogTransport:
    """Without SMTP_HOST: messages go to the log, so development needs no mail server."""

    def deliver(self, email: EmailMessage) -> None:
        log.info("message to %s: %s\n%s", email["To"], email["Subject"], email.get_content())

    def close(self) -> None:
        """Nothing to close."""


class _SmtpTransport:
    """One SMTP connection for a whole run, opened at the first message."""

    def __init__(self, config):
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        connection = smtplib.SMTP(
            config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT_SECONDS"]
        )
        if config["SMTP_STARTTLS"]:
            connection.starttls(context=ssl.create_default_context())
        if config["SMTP_USER"]:
            connection.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
        return connection

    def deliver(self, email: EmailMessage) -> None:
        if self.connection is None:
            self.connection = self._connect()
        try:
            self.connection.send_message(email)
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None


@contextmanager
def _transport() -> Iterator[_LogTransport | _SmtpTransport]:
    config = current_app.config
    transport = _SmtpTransport(config) if config.get("SMTP_HOST") else _LogTransport()
    try:
        yield transport
    finally:
        transport.close()


def _retry_delay(attempts: int) -> timedelta:
    """2, 4, 8, 16 minutes: a mail server that is down for a while gets time to recover."""
    return timedelta(minutes=2**attempts)


def _deliver_one(transport, message_id: int) -> bool | None:
    """True when delivered, False when it failed, None when it was withdrawn meanwhile."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.sent_at is not None:
        db.session.rollback()
        return None
    recipient = db.session.get(User, message.user_id)
    try:
        transport.deliver(_email(message, recipient))
    except (smtplib.SMTPException, OSError) as error:
        message.last_error = f"{type(error).__name__}: {error}"[:500]
        message.claimed_until = None
        message.send_after = utcnow() + _retry_delay(message.attempts)
        db.session.commit()
        log.warning("message %s failed (attempt %s): %s", message_id, message.attempts, error)
        return False
    message.sent_at = utcnow()
    message.claimed_until = None
    message.last_error = None
    db.session.commit()
    return True


def send_due(*, limit: int = 500) -> SendSummary:
    """Deliver the messages that are due, at most limit, each exactly once.

    Each message is committed as sent right after its delivery, so a crash can repeat at
    most the message that was being delivered.
    """
    sent = failed = 0
    with _transport() as transport:
        while sent + failed < limit:
            claimed = _claim(min(BATCH_SIZE, limit - sent - failed))
            if not claimed:
                break
            for message_id in claimed:
                delivered = _deliver_one(transport, message_id)
                sent += delivered is True
                failed += delivered is False
    return SendSummary(sent=sent, failed=failed)


# Personal data -------------------------------------------------------------------------------


def export_personal_data(*, user_id: int) -> dict:
    """The messages written to a person, sent or waiting, as they were rendered."""
    messages = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.user_id == user_id)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    return {"messages": [as_json(message) for message in messages]}


def erase_personal_data(*, user_id: int) -> None:
    """Delete every message to a person: each was rendered with their name, and the waiting
    ones would go to an address that no longer exists."""
    db.session.execute(
        sa.delete(OutboxMessage)
        .where(OutboxMessage.user_id == user_id)
        .execution_options(synchronize_session=False)
    )
