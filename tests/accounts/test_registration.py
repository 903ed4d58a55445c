"""Registering an account."""

import sqlalchemy as sa

from learning.accounts.models import User
from learning.extensions import db

NEW_ACCOUNT = {
    "email": "Amira.Benali@Example.org",
    "password": "a long enough password",
    "display_name": "  Amira   B. ",
    "locale": "fr",
    "commune": "schaerbeek",
}


def test_register_creates_a_learner_with_a_normalised_email(client):
    response = client.post("/api/v1/auth/register", json=NEW_ACCOUNT)

    assert response.status_code == 201
    assert response.json["email"] == "amira.benali@example.org"
    assert "password" not in response.json
    tokens = client.post(
        "/api/v1/auth/login",
        json={"email": "amira.benali@example.org", "password": NEW_ACCOUNT["password"]},
    ).json
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.json["display_name"] == "Amira B."
    assert me.json["roles"] == ["learner"]
    assert me.json["locale"] == "fr"
    assert me.json["commune"] == "schaerbeek"
    assert me.json["leaderboard_visible"] is False


def test_emails_are_unique_whatever_their_case(app, client):
    client.post("/api/v1/auth/register", json=NEW_ACCOUNT)

    again = client.post(
        "/api/v1/auth/register",
        json={**NEW_ACCOUNT, "email": "AMIRA.BENALI@example.ORG", "password": "another passphrase"},
    )

    assert again.status_code == 201
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    signed_in = client.post(
        "/api/v1/auth/login",
        json={"email": "amira.benali@example.org", "password": "another passphrase"},
    )
    assert signed_in.status_code == 401


def test_invalid_fields_are_all_reported_at_once(client):
    response = client.post(
        "/api/v1/auth/register",
        json={"email": "not-an-email", "password": "short", "locale": "de", "commune": "paris"},
    )

    assert response.status_code == 422
    assert set(response.json["errors"]) == {
        "email",
        "password",
        "display_name",
        "locale",
        "commune",
    }


def test_a_blank_display_name_is_refused(client):
    response = client.post("/api/v1/auth/register", json={**NEW_ACCOUNT, "display_name": "   "})

    assert response.status_code == 422
    assert response.json["errors"] == {"display_name": ["Must not be blank."]}


def test_passwords_are_stored_as_argon2id_hashes(app, client):
    client.post("/api/v1/auth/register", json=NEW_ACCOUNT)

    with app.app_context():
        user = db.session.scalars(db.select(User)).one()
        assert user.password_hash.startswith("$argon2id$")
        assert NEW_ACCOUNT["password"] not in user.password_hash
