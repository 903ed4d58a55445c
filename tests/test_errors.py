"""Every error is an RFC 9457 problem document; none shows a trace."""

import pytest


def test_an_unknown_path_is_a_problem(client):
    response = client.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.json["status"] == 404
    assert response.json["title"] == "Not Found"
    assert response.json["type"] == "about:blank"


def test_a_wrong_method_is_a_problem_that_keeps_its_allow_header(client):
    response = client.delete("/api/v1/auth/login")

    assert response.status_code == 405
    assert response.content_type == "application/problem+json"
    assert "POST" in response.headers["Allow"]


def test_a_body_over_the_limit_is_413(app_factory):
    app = app_factory(MAX_CONTENT_LENGTH=1024)

    response = app.test_client().post(
        "/api/v1/auth/register", data="x" * 4096, content_type="application/json"
    )

    assert response.status_code == 413
    assert response.content_type == "application/problem+json"


def test_malformed_json_is_a_problem(client):
    response = client.post("/api/v1/auth/login", data="{not json", content_type="application/json")

    assert response.status_code in (400, 422)
    assert response.content_type == "application/problem+json"


@pytest.fixture
def failing_app(app_factory):
    app = app_factory()

    @app.route("/api/v1/boom")
    def boom():
        raise RuntimeError("secret internals")

    return app


def test_an_unexpected_error_is_logged_and_hidden(failing_app, caplog):
    response = failing_app.test_client().get("/api/v1/boom")

    assert response.status_code == 500
    assert response.content_type == "application/problem+json"
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert response.json["request_id"] == response.headers["X-Request-ID"]
    assert any(
        "secret internals" in record.exc_text for record in caplog.records if record.exc_text
    )
