"""Signing in, and rotating refresh tokens with reuse detection."""

from datetime import timedelta

from tests.conftest import PASSWORD


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_login_answers_a_token_pair(client, make_user):
    _, email = make_user()

    response = client.post(
        "/api/v1/auth/login", json={"email": email.upper(), "password": PASSWORD}
    )

    assert response.status_code == 200
    assert set(response.json) == {"access_token", "refresh_token", "expires_in", "token_type"}
    assert response.json["expires_in"] == 15 * 60
    assert response.json["token_type"] == "Bearer"


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make_user):
    _, email = make_user()

    wrong_password = client.post("/api/v1/auth/login", json={"email": email, "password": "nope"})
    unknown_email = client.post(
        "/api/v1/auth/login", json={"email": "nobody@example.org", "password": "nope"}
    )

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json["detail"] == unknown_email.json["detail"]


def test_refresh_rotates_the_pair(client, make_user, login):
    _, email = make_user()
    tokens = login(email)

    rotated = client.post("/api/v1/auth/refresh", headers=bearer(tokens["refresh_token"]))

    assert rotated.status_code == 200
    assert rotated.json["refresh_token"] != tokens["refresh_token"]
    me = client.get("/api/v1/me", headers=bearer(rotated.json["access_token"]))
    assert me.status_code == 200


def test_reusing_a_refresh_token_revokes_its_whole_family(client, make_user, login):
    _, email = make_user()
    stolen = login(email)["refresh_token"]
    legitimate = client.post("/api/v1/auth/refresh", headers=bearer(stolen)).json

    replay = client.post("/api/v1/auth/refresh", headers=bearer(stolen))
    after_replay = client.post("/api/v1/auth/refresh", headers=bearer(legitimate["refresh_token"]))

    assert replay.status_code == 401
    assert "already used" in replay.json["detail"]
    assert after_replay.status_code == 401
    assert "revoked" in after_replay.json["detail"]


def test_reuse_in_one_family_leaves_other_sign_ins_alone(client, make_user, login):
    _, email = make_user()
    phone = login(email)["refresh_token"]
    laptop = login(email)["refresh_token"]
    client.post("/api/v1/auth/refresh", headers=bearer(phone))

    client.post("/api/v1/auth/refresh", headers=bearer(phone))

    assert client.post("/api/v1/auth/refresh", headers=bearer(laptop)).status_code == 200


def test_an_access_token_cannot_refresh(client, make_user, login):
    _, email = make_user()

    response = client.post("/api/v1/auth/refresh", headers=bearer(login(email)["access_token"]))

    assert response.status_code == 401
    assert response.content_type == "application/problem+json"


def test_a_refresh_token_cannot_call_the_api(client, make_user, login):
    _, email = make_user()

    response = client.get("/api/v1/me", headers=bearer(login(email)["refresh_token"]))

    assert response.status_code == 401


def test_an_expired_access_token_is_refused(app, client, make_user):
    from flask_jwt_extended import create_access_token

    user_id, _ = make_user()
    with app.app_context():
        expired = create_access_token(str(user_id), expires_delta=timedelta(seconds=-1))

    response = client.get("/api/v1/me", headers=bearer(expired))

    assert response.status_code == 401
    assert "expired" in response.json["detail"]


def test_a_forged_token_is_refused(client):
    response = client.get("/api/v1/me", headers=bearer("eyJhbGciOiJIUzI1NiJ9.e30.forged"))

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
