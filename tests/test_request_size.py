"""Request bodies have a ceiling: JSON a small one, course package uploads a larger one, and
anything over it is a 413 problem before a byte of it is parsed."""

import io
import json

import pytest

from tests.conftest import PASSWORD
from tests.factories import EXAMPLE, upload, zip_folder

JSON_LIMIT = 4096


@pytest.fixture
def limited_app(app_factory):
    return app_factory(MAX_JSON_BODY_BYTES=JSON_LIMIT, MAX_CONTENT_LENGTH=5 * 1024 * 1024)


def _sign_in(client, email) -> dict:
    tokens = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD}).json
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def test_a_json_body_over_its_limit_is_413_even_under_the_upload_limit(limited_app):
    body = {"email": "a@example.org", "password": "x" * (2 * JSON_LIMIT)}

    response = limited_app.test_client().post("/api/v1/auth/login", json=body)

    assert response.status_code == 413
    assert response.content_type == "application/problem+json"
    assert response.json["status"] == 413
    assert str(JSON_LIMIT) in response.json["detail"]


def test_a_json_body_under_its_limit_goes_through(limited_app):
    body = {"email": "a@example.org", "password": "x" * 1000}

    response = limited_app.test_client().post("/api/v1/auth/login", json=body)

    assert response.status_code == 401


def test_a_body_without_a_length_is_cut_off_at_the_limit(limited_app):
    oversized = json.dumps({"email": "a@example.org", "password": "x" * (2 * JSON_LIMIT)})

    response = limited_app.test_client().post(
        "/api/v1/auth/login",
        input_stream=io.BytesIO(oversized.encode()),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )

    assert response.status_code == 413
    assert response.content_type == "application/problem+json"


def test_a_course_package_larger_than_any_json_body_is_accepted(limited_app, make_user):
    package = zip_folder(EXAMPLE)
    assert len(package) > JSON_LIMIT
    _, email = make_user(roles=["author"])
    client = limited_app.test_client()

    response = upload(client, _sign_in(client, email), package)

    assert response.status_code == 201, response.json


def test_a_course_package_over_the_upload_limit_is_413(app_factory, make_user):
    app = app_factory(MAX_JSON_BODY_BYTES=JSON_LIMIT, MAX_CONTENT_LENGTH=8 * JSON_LIMIT)
    _, email = make_user(roles=["author"])
    client = app.test_client()

    response = upload(client, _sign_in(client, email), b"x" * (16 * JSON_LIMIT))

    assert response.status_code == 413
    assert response.content_type == "application/problem+json"
    assert str(8 * JSON_LIMIT) in response.json["detail"]
