"""Applying for certification: after a certifiable course, with reflections and two actions."""

import uuid

import pytest

from tests.badges.conftest import PROMPTS
from tests.certification.conftest import catalogue_action, in_days, submission, submit


def test_a_graduate_applies_and_waits_for_review(client, graduate):
    response = submit(client, graduate)

    assert response.status_code == 201, response.json
    certification = response.json
    assert certification["status"] == "pending"
    assert certification["course"] == "certifiable"
    assert certification["number"] is None
    assert certification["certificate_url"] is None
    [sent] = certification["submissions"]
    assert [answer["prompt"] for answer in sent["reflections"]] == list(PROMPTS)
    assert sent["reflections"][0]["question"] == "Question what-changed (en)"
    assert [action["kind"] for action in sent["actions"]] == ["personal", "with_others"]
    assert sent["actions"][1]["action"] is None


def test_one_reflection_text_is_enough_too(client, graduate):
    response = submit(client, graduate, reflections={}, reflection="What I learned and why.")

    assert response.status_code == 201, response.json
    assert response.json["submissions"][0]["reflection"] == "What I learned and why."


def test_the_course_must_be_completed_first(client, learner, certifiable, sync):
    response = submit(client, learner)

    assert response.status_code == 409
    assert "Complete certifiable" in response.json["detail"]


def test_only_certifiable_courses_lead_to_the_certification(
    client, learner, course, complete_course
):
    complete_course(learner.headers)

    response = submit(client, learner, course="generated")

    assert response.status_code == 409


def test_an_unknown_course_is_not_found(client, learner):
    assert submit(client, learner, course="nope").status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reflections": {"what-changed": "Only one answer."}}, "reflections.who-will-you-tell"),
        ({"reflections": {**dict.fromkeys(PROMPTS, "x"), "invented": "y"}}, "reflections.invented"),
        ({"reflections": dict.fromkeys(PROMPTS, "   ")}, "reflections.what-changed"),
        ({"reflections": {}}, "reflection"),
    ],
)
def test_reflections_must_answer_the_course_prompts(client, graduate, change, field):
    response = submit(client, graduate, **change)

    assert response.status_code == 422
    assert field in response.json["errors"]


def action(kind, **fields):
    return {"kind": kind, "description": f"A {kind} action.", "by": in_days(10), **fields}


@pytest.mark.parametrize(
    ("actions", "field"),
    [
        ([action("personal"), action("personal")], "actions"),
        ([action("personal")], "actions"),
        ([action("personal", action="no-such-action"), action("with_others")], "actions.0.action"),
        (
            [action("personal", action=catalogue_action("with_others")), action("with_others")],
            "actions.0.action",
        ),
        ([action("personal"), action("with_others", by=in_days(-1))], "actions.1.by"),
        ([action("personal", description="  "), action("with_others")], "actions.0.description"),
    ],
)
def test_two_actions_one_personal_and_one_with_others(client, graduate, actions, field):
    response = submit(client, graduate, actions=actions)

    assert response.status_code == 422
    assert field in response.json["errors"]


def test_applying_twice_for_a_course_is_a_conflict(client, graduate):
    assert submit(client, graduate).status_code == 201

    assert submit(client, graduate).status_code == 409


def test_a_retried_request_answers_the_first_one(client, graduate):
    request_id = str(uuid.uuid4())
    first = submit(client, graduate, id=request_id)

    again = submit(client, graduate, id=request_id)

    assert again.status_code == 201
    assert again.json["id"] == first.json["id"]
    assert len(again.json["submissions"]) == 1


def test_someone_elses_request_id_is_a_conflict(client, graduate, person, complete_course):
    request_id = str(uuid.uuid4())
    submit(client, graduate, id=request_id)
    other = person()
    complete_course(other.headers, course="certifiable")

    assert submit(client, other, id=request_id).status_code == 409


def test_my_certifications_are_mine_alone(client, graduate, person):
    created = submit(client, graduate).json

    mine = client.get("/api/v1/me/certifications", headers=graduate.headers).json["items"]
    assert [item["id"] for item in mine] == [created["id"]]
    path = f"/api/v1/me/certifications/{created['id']}"
    assert client.get(path, headers=graduate.headers).status_code == 200
    assert client.get(path, headers=person().headers).status_code == 404
    assert client.get("/api/v1/me/certifications", headers=person().headers).json["items"] == []


def test_the_submission_body_of_the_contract_is_accepted(client, graduate):
    body = submission()
    del body["reflections"]
    body["reflection"] = "My reflection."

    response = client.post("/api/v1/certifications", json=body, headers=graduate.headers)

    assert response.status_code == 201
