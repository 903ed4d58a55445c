"""What every response carries: a request id, security headers, CORS for the frontends."""


def test_every_response_has_a_request_id(client):
    response = client.get("/healthz")

    assert len(response.headers["X-Request-ID"]) == 32


def test_a_safe_client_request_id_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "app-4f2a.9"})

    assert response.headers["X-Request-ID"] == "app-4f2a.9"


def test_an_unsafe_client_request_id_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})

    assert "<" not in response.headers["X-Request-ID"]
    assert len(response.headers["X-Request-ID"]) == 32


def test_each_request_is_logged_on_one_line(client, caplog):
    caplog.set_level("INFO", logger="learning.requests")

    response = client.get("/healthz")

    (line,) = [r.getMessage() for r in caplog.records if r.name == "learning.requests"]
    assert line.startswith("GET /healthz 200 ")
    assert line.endswith(f"request_id={response.headers['X-Request-ID']}")


def test_security_headers_are_set(client):
    response = client.get("/api/v1/me")

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_configured_frontend_origins_may_call_the_api(client):
    response = client.options(
        "/api/v1/me",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization",
        },
    )

    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"


def test_other_origins_get_no_cors_grant(client):
    response = client.get("/api/v1/courses", headers={"Origin": "https://evil.example"})

    assert "Access-Control-Allow-Origin" not in response.headers
