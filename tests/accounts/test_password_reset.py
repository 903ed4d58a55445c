"""Forgotten passwords: a reset link by email, in the owner's language, that works once, for a
short time, and only until the password changes; using it revokes every earlier token."""

from datetime import timedelta

import pytest
import time_machine

from learning.accounts import messages
from learning.accounts.models import User
from learning.accounts.services import RESET_MESSAGE_WINDOW, RESET_REQUESTED
from learning.extensions import db
from tests.accounts.outbox import queued, reset_token
from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new passphrase"


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def ask_for_reset(client, email):
    response = client.post("/api/v1/auth/password-reset", json={"email": email})
    assert response.status_code == 202, response.json
    return response


def confirm(client, token, password=NEW_PASSWORD):
    return client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "password": password}
    )


def latest_token(app, user_id) -> str:
    return reset_token(queued(app, user_id=user_id, kind=messages.PASSWORD_RESET)[-1])


@pytest.mark.parametrize("locale", ["nl", "fr", "en"])
def test_the_link_goes_to_the_owner_in_their_language(app, client, make_user, locale):
    user_id, email = make_user(locale=locale)

    response = ask_for_reset(client, email.upper())

    assert response.json == {"detail": RESET_REQUESTED}
    (message,) = queued(app, user_id=user_id)
    assert message.kind == messages.PASSWORD_RESET
    assert message.language == locale
    assert message.subject == messages.TEXTS[messages.PASSWORD_RESET][locale][0]
    assert "http://127.0.0.1:5000/reset-password#token=" in message.body
    assert message.expires_at is not None


def test_the_link_points_at_the_configured_page(app_factory, make_user):
    app = app_factory(PASSWORD_RESET_URL="https://app.example.org/nieuw-wachtwoord?t={token}")
    user_id, email = make_user()

    ask_for_reset(app.test_client(), email)

    (message,) = queued(app, user_id=user_id)
    assert "https://app.example.org/nieuw-wachtwoord?t=" in message.body


def test_the_new_password_works_and_every_earlier_token_stops(app, client, make_user, login):
    user_id, email = make_user()
    phone = login(email)
    ask_for_reset(client, email)

    response = confirm(client, latest_token(app, user_id))

    assert response.status_code == 204
    assert client.get("/api/v1/me", headers=bearer(phone["access_token"])).status_code == 401
    refresh = client.post("/api/v1/auth/refresh", headers=bearer(phone["refresh_token"]))
    assert refresh.status_code == 401
    old = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert old.status_code == 401
    assert login(email, NEW_PASSWORD)["access_token"]


def test_a_link_works_once(app, client, make_user):
    user_id, email = make_user()
    ask_for_reset(client, email)
    token = latest_token(app, user_id)
    assert confirm(client, token).status_code == 204

    again = confirm(client, token, "yet another passphrase")

    assert again.status_code == 422
    assert again.content_type == "application/problem+json"
    assert set(again.json["errors"]) == {"token"}


def test_using_one_link_kills_the_others(app, client, make_user, clock):
    user_id, email = make_user()
    ask_for_reset(client, email)
    first = latest_token(app, user_id)
    clock.shift(RESET_MESSAGE_WINDOW)
    ask_for_reset(client, email)
    second = latest_token(app, user_id)
    assert first != second

    assert confirm(client, second).status_code == 204

    assert confirm(client, first, "yet another passphrase").status_code == 422


def test_a_link_dies_when_the_password_changes_another_way(app, client, make_user, login):
    user_id, email = make_user()
    ask_for_reset(client, email)
    token = latest_token(app, user_id)
    tokens = login(email)
    changed = client.put(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "changed on the laptop"},
        headers=bearer(tokens["access_token"]),
    )
    assert changed.status_code == 200

    assert confirm(client, token).status_code == 422


def test_a_link_expires(app_factory, make_user, clock):
    app = app_factory(PASSWORD_RESET_SECONDS=600)
    client = app.test_client()
    user_id, email = make_user()
    ask_for_reset(client, email)
    token = latest_token(app, user_id)

    clock.shift(timedelta(seconds=601))

    response = confirm(client, token)
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"token"}


@pytest.mark.parametrize("token", ["", "not-a-token", "eyJ1c2VyIjoxfQ.forged.signature"])
def test_a_forged_or_garbled_token_is_refused(client, token):
    response = confirm(client, token)

    assert response.status_code == 422
    assert response.content_type == "application/problem+json"


def test_a_token_signed_with_another_secret_is_refused(app, app_factory, client, make_user):
    user_id, email = make_user()
    other = app_factory(SECRET_KEY="another secret of at least thirty-two characters")
    ask_for_reset(other.test_client(), email)
    token = latest_token(app, user_id)

    assert confirm(client, token).status_code == 422


def test_the_new_password_follows_the_same_rules_and_the_link_survives(app, client, make_user):
    user_id, email = make_user(email="marie.dubois@example.org", display_name="Marie Dubois")
    ask_for_reset(client, email)
    token = latest_token(app, user_id)

    for weak in ("password123", "marie.dubois", "short"):
        response = confirm(client, token, weak)
        assert response.status_code == 422, weak
        assert set(response.json["errors"]) == {"password"}

    assert confirm(client, token).status_code == 204


def test_asking_again_and_again_sends_one_message_per_window(app, client, make_user, clock):
    user_id, email = make_user()
    for _ in range(3):
        ask_for_reset(client, email)
    assert len(queued(app, user_id=user_id)) == 1

    clock.shift(RESET_MESSAGE_WINDOW)
    ask_for_reset(client, email)

    assert len(queued(app, user_id=user_id)) == 2


@pytest.fixture
def clock():
    """A clock that only moves when the test says so."""
    with time_machine.travel("2026-03-02 09:00:00+00:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def throttled_client(app_factory):
    return app_factory(RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT="3 per minute").test_client()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/auth/password-reset", {"email": "someone@example.org"}),
        ("/api/v1/auth/password-reset/confirm", {"token": "guess", "password": NEW_PASSWORD}),
    ],
)
def test_both_steps_are_throttled(throttled_client, path, body):
    answers = [throttled_client.post(path, json=body) for _ in range(4)]

    assert answers[-1].status_code == 429
    assert answers[-1].content_type == "application/problem+json"
    assert int(answers[-1].headers["Retry-After"]) > 0


def test_an_erased_account_gets_no_reset_link(app, client, make_user, login):
    user_id, email = make_user()
    tokens = login(email)
    erased = client.delete(
        "/api/v1/me", json={"password": PASSWORD}, headers=bearer(tokens["access_token"])
    )
    assert erased.status_code == 204
    with app.app_context():
        left_behind = db.session.get(User, user_id)
        placeholder_email = left_behind.email if left_behind else email

    ask_for_reset(client, placeholder_email)

    assert not queued(app, user_id=user_id, kind=messages.PASSWORD_RESET)
