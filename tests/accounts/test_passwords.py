"""Password rules, and changing a password revokes every token issued before."""

import pytest

from tests.conftest import PASSWORD


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("weak", ["password123", "azertyuiop", "1234567890", "bruxelles2026"])
def test_common_and_guessable_passwords_are_refused(client, weak):
    response = client.post(
        "/api/v1/auth/register",
        json={"email": "new@example.org", "password": weak, "display_name": "New"},
    )

    assert response.status_code == 422
    assert "password" in response.json["errors"]


def test_a_password_made_of_the_email_is_refused(client):
    response = client.post(
        "/api/v1/auth/register",
        json={
            "email": "marie.dubois@example.org",
            "password": "marie.dubois",
            "display_name": "Marie",
        },
    )

    assert response.status_code == 422


def test_changing_the_password_revokes_every_earlier_token(client, make_user, login):
    _, email = make_user()
    phone = login(email)
    laptop = login(email)

    response = client.put(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        headers=bearer(laptop["access_token"]),
    )

    assert response.status_code == 200
    assert client.get("/api/v1/me", headers=bearer(phone["access_token"])).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(laptop["access_token"])).status_code == 401
    refresh = client.post("/api/v1/auth/refresh", headers=bearer(phone["refresh_token"]))
    assert refresh.status_code == 401
    fresh = bearer(response.json["access_token"])
    assert client.get("/api/v1/me", headers=fresh).status_code == 200
    assert login(email, "a brand new passphrase")["access_token"]


def test_the_current_password_must_be_right(client, auth_headers):
    response = client.put(
        "/api/v1/me/password",
        json={"current_password": "not it at all", "new_password": "a brand new passphrase"},
        headers=auth_headers(),
    )

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"current_password"}


def test_the_new_password_follows_the_rules(client, auth_headers):
    response = client.put(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "password123"},
        headers=auth_headers(),
    )

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"new_password"}


def test_a_very_long_passphrase_is_accepted(client):
    response = client.post(
        "/api/v1/auth/register",
        json={
            "email": "long@example.org",
            "password": "the quick brown fox jumps over the lazy dog " * 20,
            "display_name": "Long",
        },
    )

    assert response.status_code == 201
