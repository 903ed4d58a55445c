"""Senders running at once deliver each message once (PostgreSQL: FOR UPDATE SKIP LOCKED)."""

import threading

import pytest

from learning.notifications import services

pytestmark = pytest.mark.postgresql_only


def test_two_senders_at_once_deliver_each_message_once(app, queue, recipient, mail, messages):
    for _ in range(3):
        user_id = recipient()
        for number in range(10):
            queue(user_id, dedupe_key=f"test:{user_id}:{number}")
    senders = 4
    barrier = threading.Barrier(senders)
    summaries = []

    def send():
        with app.app_context():
            barrier.wait()
            summaries.append(services.send_due())

    threads = [threading.Thread(target=send) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(summary.sent for summary in summaries) == 30
    assert len(mail.received) == 30
    assert len({message["Message-ID"] for message in mail.received}) == 30
    assert all(message.attempts == 1 for message in messages())
