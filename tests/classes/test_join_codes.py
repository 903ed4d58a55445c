"""Learners join with a code that is easy to dictate; teachers rotate it and let it expire."""

from datetime import datetime, timedelta

import pytest

from learning.brussels import TIMEZONE
from learning.classes.models import JOIN_CODE_ALPHABET
from tests.classes.conftest import create_class, expire_code, in_days, join


def test_codes_use_no_characters_that_are_misread_aloud():
    assert not set("0O1IL") & set(JOIN_CODE_ALPHABET)


def test_a_learner_joins_with_the_code(client, teacher, school_class, auth_headers):
    learner = auth_headers(display_name="Amina")

    joined = join(client, learner, school_class["join_code"])

    assert joined["id"] == school_class["id"]
    assert joined["name"] == "5B"
    assert joined["teachers"] == ["Ms Peeters"]
    assert joined["joined_at"].endswith(("+01:00", "+02:00"))
    assert "join_code" not in joined
    mine = client.get("/api/v1/me/classes", headers=learner).json
    assert [c["id"] for c in mine["items"]] == [school_class["id"]]


def test_joining_twice_is_harmless(client, teacher, school_class, auth_headers):
    learner = auth_headers()

    first = join(client, learner, school_class["join_code"])
    second = join(client, learner, school_class["join_code"])

    assert first == second
    shown = client.get(f"/api/v1/classes/{school_class['id']}", headers=teacher).json
    assert shown["learners"] == 1


@pytest.mark.parametrize("typed", ["lower", "no dash", "spaces"])
def test_codes_are_forgiving_about_case_dashes_and_spaces(
    client, school_class, auth_headers, typed
):
    code = school_class["join_code"]
    variants = {
        "lower": code.lower(),
        "no dash": code.replace("-", ""),
        "spaces": f" {code[:2]} {code[2:].replace('-', ' ')} ",
    }

    assert join(client, auth_headers(), variants[typed])["id"] == school_class["id"]


def test_an_unknown_code_is_404(client, school_class, auth_headers):
    response = client.post(
        "/api/v1/classes/join", json={"code": "ZZZZ-ZZZZ"}, headers=auth_headers()
    )

    assert response.status_code == 404
    assert response.content_type == "application/problem+json"


def test_an_expired_code_is_410(client, school_class, auth_headers, app):
    expire_code(app, school_class["id"])

    response = client.post(
        "/api/v1/classes/join", json={"code": school_class["join_code"]}, headers=auth_headers()
    )

    assert response.status_code == 410
    assert response.json["type"] == "urn:carbonlit:problem:join-code-expired"


def test_a_teacher_cannot_join_their_own_class(client, teacher, school_class):
    response = client.post(
        "/api/v1/classes/join", json={"code": school_class["join_code"]}, headers=teacher
    )

    assert response.status_code == 409


def test_rotating_the_code_retires_the_old_one(client, teacher, school_class, auth_headers):
    rotated = client.post(
        f"/api/v1/classes/{school_class['id']}/join-code", json={}, headers=teacher
    )

    assert rotated.status_code == 200
    new_code = rotated.json["join_code"]
    assert new_code != school_class["join_code"]
    old = client.post(
        "/api/v1/classes/join", json={"code": school_class["join_code"]}, headers=auth_headers()
    )
    assert old.status_code == 404
    assert join(client, auth_headers(), new_code)["id"] == school_class["id"]


def test_a_rotated_code_may_expire_at_a_given_time(client, teacher, school_class, auth_headers):
    expires = in_days(2)

    rotated = client.post(
        f"/api/v1/classes/{school_class['id']}/join-code",
        json={"expires_at": expires},
        headers=teacher,
    ).json

    assert datetime.fromisoformat(rotated["join_code_expires_at"]) == datetime.fromisoformat(
        expires
    )
    assert rotated["join_code_expires_at"].endswith(("+01:00", "+02:00"))
    assert join(client, auth_headers(), rotated["join_code"])["id"] == school_class["id"]


def test_a_plain_date_expires_at_the_end_of_that_day_in_brussels(client, teacher, school_class):
    day = datetime.now(TIMEZONE).date() + timedelta(days=10)

    rotated = client.post(
        f"/api/v1/classes/{school_class['id']}/join-code",
        json={"expires_at": day.isoformat()},
        headers=teacher,
    ).json

    expected = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=TIMEZONE)
    assert rotated["join_code_expires_at"] == expected.isoformat()


def test_a_class_may_start_with_an_expiring_code(client, teacher):
    created = create_class(client, teacher, join_code_expires_at=in_days(1))

    assert created["join_code_expires_at"] is not None


def test_an_expiry_in_the_past_is_refused(client, teacher, school_class):
    response = client.post(
        f"/api/v1/classes/{school_class['id']}/join-code",
        json={"expires_at": in_days(-1)},
        headers=teacher,
    )

    assert response.status_code == 422
    assert "expires_at" in response.json["errors"]


def test_a_time_without_an_offset_is_refused(client, teacher, school_class):
    response = client.post(
        f"/api/v1/classes/{school_class['id']}/join-code",
        json={"expires_at": "2031-01-01T10:00:00"},
        headers=teacher,
    )

    assert response.status_code == 422
    assert "expires_at" in response.json["errors"]


@pytest.fixture
def throttled_client(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, CLASS_JOIN_RATE_LIMIT="2 per minute")
    return app.test_client()


def test_guessing_codes_is_throttled_per_account(throttled_client, auth_headers):
    teacher = auth_headers("teacher")
    code = create_class(throttled_client, teacher)["join_code"]
    guesser, other = auth_headers(), auth_headers()

    answers = [
        throttled_client.post("/api/v1/classes/join", json={"code": "ZZZZ-ZZZ2"}, headers=guesser)
        for _ in range(3)
    ]

    assert [a.status_code for a in answers] == [404, 404, 429]
    assert int(answers[-1].headers["Retry-After"]) > 0
    assert join(throttled_client, other, code)


def test_successful_joins_do_not_count_against_the_limit(throttled_client, auth_headers):
    code = create_class(throttled_client, auth_headers("teacher"))["join_code"]
    learner = auth_headers()

    answers = [
        throttled_client.post("/api/v1/classes/join", json={"code": code}, headers=learner)
        for _ in range(4)
    ]

    assert {a.status_code for a in answers} == {200}
