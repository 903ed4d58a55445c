"""The outbox: queued in the recipient's language, never twice, delivered once when due."""

import logging
from datetime import timedelta

import pytest

from learning.errors import InvalidInput
from learning.extensions import db
from learning.notifications import services
from tests.notifications.conftest import T0


def test_a_message_is_kept_in_the_recipient_language(queue, recipient, messages):
    french = recipient(locale="fr")

    assert queue(french) is True

    (message,) = messages()
    assert (message.language, message.subject, message.body) == ("fr", "Bonjour", "Bonjour à vous")
    assert message.send_after == T0
    assert message.sent_at is None


def test_a_missing_language_falls_back_to_english_then_to_what_was_written(
    queue, recipient, messages
):
    dutch = recipient(locale="nl")
    queue(dutch, subject={"en": "Hello", "fr": "Bonjour"}, body={"en": "Hi", "fr": "Salut"})
    queue(dutch, subject={"fr": "Bonjour"}, body={"fr": "Salut"})

    assert [m.language for m in messages()] == ["en", "fr"]


def test_subject_and_body_come_in_the_same_languages(app, recipient):
    user_id = recipient()

    with app.app_context(), pytest.raises(InvalidInput):
        services.queue(user_id=user_id, kind="test", subject={"en": "Hi"}, body={"fr": "Salut"})


def test_the_same_dedupe_key_is_never_queued_twice(queue, recipient, messages, send_due):
    user_id = recipient()

    first = queue(user_id, dedupe_key="reminder:1")
    send_due()
    again = queue(user_id, dedupe_key="reminder:1", subject={"en": "Other"}, body={"en": "x"})

    assert (first, again) == (True, False)
    assert [m.subject for m in messages()] == ["Hello"]


def test_cancelling_withdraws_unsent_messages_by_key_prefix(app, queue, recipient, messages):
    ana, bo = recipient(), recipient()
    queue(ana, dedupe_key="circle:1:reminder:a", send_after=T0 + timedelta(days=1))
    queue(ana, dedupe_key="circle:1:welcome", send_after=T0 + timedelta(days=1))
    queue(bo, dedupe_key="circle:1:reminder:b", send_after=T0 + timedelta(days=1))
    queue(ana, dedupe_key="circle:12:reminder:a", send_after=T0 + timedelta(days=1))
    queue(ana, dedupe_key="circlex1:reminder", send_after=T0 + timedelta(days=1))

    with app.app_context():
        withdrawn = services.cancel(key_prefix="circle:1:", user_id=ana)
        db.session.commit()

    assert withdrawn == 2
    assert [m.dedupe_key for m in messages()] == [
        "circle:1:reminder:b",
        "circle:12:reminder:a",
        "circlex1:reminder",
    ]


def test_cancelling_keeps_what_was_sent(app, queue, recipient, messages, send_due):
    user_id = recipient()
    queue(user_id, dedupe_key="circle:1:welcome")
    send_due()

    with app.app_context():
        assert services.cancel(key_prefix="circle:1:") == 0


def test_without_an_smtp_server_messages_go_to_the_log(
    queue, recipient, messages, send_due, caplog
):
    queue(recipient())
    caplog.set_level(logging.INFO, logger="learning.notifications")

    summary = send_due()

    assert summary == services.SendSummary(sent=1, failed=0)
    assert "Hello there" in caplog.text
    assert messages()[0].sent_at == T0


def test_due_messages_are_delivered_by_smtp_when_their_time_comes(
    app, queue, make_user, mail, send_due, clock
):
    user_id, email = make_user(locale="nl")
    queue(user_id, send_after=T0 + timedelta(hours=2))

    early = send_due()
    clock.shift(timedelta(hours=2))
    on_time = send_due()
    later = send_due()

    assert (early.sent, on_time.sent, later.sent) == (0, 1, 0)
    (received,) = mail.received
    assert received["To"] == email
    assert received["From"] == app.config["MAIL_FROM"]
    assert received["Subject"] == "Hallo"
    assert received["Content-Language"] == "nl"
    assert received["Message-ID"].startswith("<outbox.")
    assert received.get_content().strip() == "Hallo daar"


def test_the_command_line_sends_and_counts(app, queue, recipient, mail):
    queue(recipient())
    queue(recipient())

    result = app.test_cli_runner().invoke(args=["notify", "send"])

    assert result.exit_code == 0
    assert result.output == "sent 2 message(s), 0 failed\n"
    assert len(mail.received) == 2


def test_a_message_past_its_expiry_is_dropped(queue, recipient, messages, send_due, clock):
    queue(recipient(), send_after=T0, expires_at=T0 + timedelta(hours=1))
    clock.shift(timedelta(hours=2))

    assert send_due().sent == 0
    assert messages()[0].sent_at is None


def test_a_failed_delivery_is_retried_later_and_then_given_up(
    app, queue, recipient, messages, send_due, clock
):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1, SMTP_STARTTLS=False)
    queue(recipient())

    failures = []
    for _ in range(services.MAX_ATTEMPTS + 1):
        failures.append(send_due().failed)
        clock.shift(timedelta(hours=1))

    assert failures == [1] * services.MAX_ATTEMPTS + [0]
    (message,) = messages()
    assert message.sent_at is None
    assert message.attempts == services.MAX_ATTEMPTS
    assert "ConnectionRefusedError" in message.last_error


def test_a_retry_waits_before_trying_again(app, queue, recipient, messages, send_due, clock):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1, SMTP_STARTTLS=False)
    queue(recipient())

    send_due()
    right_after = send_due()

    assert right_after.failed == 0
    assert messages()[0].send_after == T0 + timedelta(minutes=2)


def test_a_failed_run_exits_non_zero_for_cron(app, queue, recipient):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1, SMTP_STARTTLS=False)
    queue(recipient())

    result = app.test_cli_runner().invoke(args=["notify", "send"])

    assert result.exit_code == 1
    assert "0 message(s), 1 failed" in result.output


def test_a_claim_left_by_a_sender_that_died_lapses(app, queue, recipient, send_due, clock):
    queue(recipient())
    with app.app_context():
        services._claim(10)

    assert send_due().sent == 0
    clock.shift(services.CLAIM_LEASE + timedelta(seconds=1))
    assert send_due().sent == 1


def test_a_run_sends_at_most_its_limit(queue, recipient, send_due):
    for _ in range(3):
        queue(recipient())

    assert send_due(limit=2).sent == 2
    assert send_due(limit=2).sent == 1
