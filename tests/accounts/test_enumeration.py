"""Registering, signing in and asking for a password reset tell nobody whether an email has an
account: the same status and body, and the same argon2 work (so the same time), both ways.

Each test sends the same request twice, once before and once after the account exists, so the
two answers must be identical but for the request id."""

import threading
from collections import Counter

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from learning.accounts import messages
from learning.accounts.models import User
from learning.extensions import db
from tests.accounts.outbox import queued

EMAIL = "existing@example.org"


@pytest.fixture
def argon2_calls(monkeypatch):
    """Counts PasswordHasher.hash and .verify calls (each costs the same fixed time)."""
    calls = Counter()
    for name in ("hash", "verify"):
        original = getattr(PasswordHasher, name)

        def spy(self, *args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(PasswordHasher, name, spy)
    return calls


def answer_and_work(client, calls, path, body) -> tuple[int, dict | None, Counter]:
    """What the client sees (status and body, less the request id) and the argon2 work done."""
    calls.clear()
    response = client.post(path, json=body)
    seen = dict(response.json) if response.is_json else None
    if seen:
        seen.pop("request_id", None)
    return response.status_code, seen, Counter(calls)


def test_registering_an_existing_email_answers_and_works_as_a_new_one(app, client, argon2_calls):
    registration = {"email": EMAIL, "password": "a long enough password", "display_name": "Sam"}
    as_new = answer_and_work(client, argon2_calls, "/api/v1/auth/register", registration)
    assert not queued(app)

    as_existing = answer_and_work(
        client,
        argon2_calls,
        "/api/v1/auth/register",
        {**registration, "password": "another long passphrase", "display_name": "Mallory"},
    )

    assert as_new == as_existing
    assert as_new[0] == 201
    assert as_new[2] == Counter(hash=1)
    (notice,) = queued(app, kind=messages.REGISTRATION_ATTEMPT)
    assert notice.language == "nl"
    assert notice.subject == messages.TEXTS[messages.REGISTRATION_ATTEMPT]["nl"][0]


def test_a_weak_password_is_refused_the_same_way_for_an_existing_email(
    client, make_user, argon2_calls
):
    weak = {"email": EMAIL, "password": "password123", "display_name": "Sam"}
    as_new = answer_and_work(client, argon2_calls, "/api/v1/auth/register", weak)
    make_user(email=EMAIL)

    as_existing = answer_and_work(client, argon2_calls, "/api/v1/auth/register", weak)

    assert as_new == as_existing
    assert as_new[0] == 422


def test_signing_in_with_an_unknown_email_answers_and_works_as_a_wrong_password(
    client, make_user, argon2_calls
):
    credentials = {"email": EMAIL, "password": "not the password at all"}
    # The dummy hash an unknown email is checked against is made once per process.
    client.post("/api/v1/auth/login", json={"email": "nobody@example.org", "password": "x"})
    unknown = answer_and_work(client, argon2_calls, "/api/v1/auth/login", credentials)
    make_user(email=EMAIL)

    wrong_password = answer_and_work(client, argon2_calls, "/api/v1/auth/login", credentials)

    assert unknown == wrong_password
    assert unknown[0] == 401
    assert unknown[2] == Counter(verify=1)


def test_asking_for_a_reset_answers_and_works_the_same_for_an_unknown_email(
    app, client, make_user, argon2_calls
):
    unknown = answer_and_work(client, argon2_calls, "/api/v1/auth/password-reset", {"email": EMAIL})
    assert not queued(app)
    make_user(email=EMAIL)

    existing = answer_and_work(
        client, argon2_calls, "/api/v1/auth/password-reset", {"email": EMAIL}
    )

    assert unknown == existing
    assert unknown[0] == 202
    assert unknown[2] == existing[2] == Counter()
    assert [message.kind for message in queued(app)] == [messages.PASSWORD_RESET]


@pytest.mark.postgresql_only
def test_registering_one_new_email_at_once_opens_one_account_and_answers_all_alike(app):
    registration = {"email": EMAIL, "password": "a long enough password", "display_name": "Sam"}
    barrier = threading.Barrier(6)
    answers = []

    def register():
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/v1/auth/register", json=registration)
        answers.append((response.status_code, response.json["email"], response.json["detail"]))

    threads = [threading.Thread(target=register) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == 6 and len(set(answers)) == 1
    assert answers[0][0] == 201
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
