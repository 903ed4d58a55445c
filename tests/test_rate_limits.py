"""Sign-in and registration are throttled, with a Retry-After that says when to try again."""

import pytest


@pytest.fixture
def throttled_client(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT="3 per minute")
    return app.test_client()


def test_login_is_throttled_after_the_limit(throttled_client):
    attempt = {"email": "someone@example.org", "password": "guessing"}
    answers = [throttled_client.post("/api/v1/auth/login", json=attempt) for _ in range(4)]

    assert [a.status_code for a in answers] == [401, 401, 401, 429]
    throttled = answers[-1]
    assert throttled.content_type == "application/problem+json"
    assert int(throttled.headers["Retry-After"]) > 0


def test_registration_is_throttled_too(throttled_client):
    answers = [
        throttled_client.post("/api/v1/auth/register", json={"email": f"x{i}@example.org"})
        for i in range(4)
    ]

    assert answers[-1].status_code == 429


def test_erasure_is_throttled_so_a_stolen_token_cannot_guess_the_password(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT="3 per minute")
    client = app.test_client()
    email = "erasable@example.org"
    client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": "a long and unguessable passphrase", "display_name": "E"},
    )
    token = client.post(
        "/api/v1/auth/login", json={"email": email, "password": "a long and unguessable passphrase"}
    ).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}

    answers = [
        client.delete("/api/v1/me", json={"password": f"guess {i}"}, headers=headers)
        for i in range(4)
    ]

    assert [a.status_code for a in answers] == [422, 422, 422, 429]


def test_other_endpoints_are_not_throttled_by_the_auth_limit(throttled_client):
    answers = [throttled_client.get("/healthz") for _ in range(10)]

    assert {a.status_code for a in answers} == {200}


def test_counters_can_live_in_redis_so_every_worker_shares_them(app_factory):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.ConnectionError as error:
        pytest.skip(f"Redis is not reachable at {url}: {error}")
    settings = {"RATELIMIT_ENABLED": True, "AUTH_RATE_LIMIT": "2 per minute"}
    first_worker = app_factory(RATELIMIT_STORAGE_URI=url, **settings).test_client()
    attempt = {"email": "someone@example.org", "password": "guessing"}
    first_worker.post("/api/v1/auth/login", json=attempt)
    first_worker.post("/api/v1/auth/login", json=attempt)

    second_worker = app_factory(RATELIMIT_STORAGE_URI=url, **settings).test_client()

    assert second_worker.post("/api/v1/auth/login", json=attempt).status_code == 429
