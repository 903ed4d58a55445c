"""Assessors review: ask for changes, the learner revises, approval issues the certificate."""

import re

import sqlalchemy as sa

from learning.extensions import db
from learning.notifications.models import OutboxMessage
from tests.badges.conftest import award_of, write_course
from tests.certification.conftest import review, submission, submit
from tests.factories import import_folder


def messages_to(app, person) -> list[OutboxMessage]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(OutboxMessage)
                .where(OutboxMessage.user_id == person.id)
                .order_by(OutboxMessage.id)
            )
        )


def test_the_whole_loop_submit_changes_resubmit_approve(app, client, graduate, assessor):
    certification = submit(client, graduate).json
    queue = client.get("/api/v1/certifications?status=pending", headers=assessor.headers).json
    assert [item["id"] for item in queue["items"]] == [certification["id"]]
    assert queue["items"][0]["learner"]["display_name"] == "Amina Benali"

    asked = review(
        client,
        assessor,
        certification["id"],
        "request_changes",
        "Say when you will talk to your neighbours.",
    )
    assert asked.status_code == 200, asked.json
    assert asked.json["status"] == "changes_requested"
    mine = client.get(
        f"/api/v1/me/certifications/{certification['id']}", headers=graduate.headers
    ).json
    assert mine["reviews"][0]["comment"] == "Say when you will talk to your neighbours."
    [changes] = messages_to(app, graduate)
    assert changes.kind == "certification_changes_requested"
    assert "Say when you will talk to your neighbours." in changes.body
    assert client.get("/api/v1/certifications", headers=assessor.headers).json["items"] == []

    body = submission()
    del body["course"]
    body["actions"][1]["description"] = "Repair café with the neighbours, first one in May."
    revised = client.post(
        f"/api/v1/me/certifications/{certification['id']}/submissions",
        json=body,
        headers=graduate.headers,
    )
    assert revised.status_code == 201, revised.json
    assert revised.json["status"] == "pending"

    approved = review(client, assessor, certification["id"], "approve", "Well done.")

    assert approved.status_code == 200, approved.json
    result = approved.json
    assert result["status"] == "approved"
    assert re.fullmatch(r"CL-\d{4}-000001", result["number"])
    assert [s["number"] for s in result["submissions"]] == [1, 2]
    assert [(r["submission"], r["decision"]) for r in result["reviews"]] == [
        (1, "request_changes"),
        (2, "approve"),
    ]
    assert result["submissions"][0]["actions"][1]["description"].startswith("Start a repair")
    badge = award_of(client, graduate, "carbon-literate")
    assert badge["certificate_number"] == result["number"]
    assert result["verification_url"] == badge["assertion_url"]
    hosted = client.get(badge["assertion_url"].removeprefix("http://127.0.0.1:5000")).json
    assert result["number"] in hosted["evidence"][0]["name"]
    approval = messages_to(app, graduate)[-1]
    assert approval.kind == "certification_approved"
    assert result["number"] in approval.subject
    assert badge["assertion_url"] in approval.body


def test_learners_do_not_see_the_queue_nor_review(client, graduate, person):
    certification = submit(client, graduate).json

    assert client.get("/api/v1/certifications", headers=graduate.headers).status_code == 403
    assert review(client, graduate, certification["id"], "approve").status_code == 403
    assert review(client, person(), certification["id"], "approve").status_code == 403


def test_an_assessor_never_reviews_their_own(client, person, certifiable, complete_course):
    assessor = person("assessor")
    complete_course(assessor.headers, course="certifiable")
    certification = submit(client, assessor).json

    assert client.get("/api/v1/certifications", headers=assessor.headers).json["items"] == []
    assert review(client, assessor, certification["id"], "approve").status_code == 403
    assert (
        client.get(
            f"/api/v1/certifications/{certification['id']}", headers=assessor.headers
        ).status_code
        == 403
    )
    assert review(client, person("assessor"), certification["id"], "approve").status_code == 200


def test_asking_for_changes_needs_a_comment(client, graduate, assessor):
    certification = submit(client, graduate).json

    response = review(client, assessor, certification["id"], "request_changes", "  ")

    assert response.status_code == 422
    assert "comment" in response.json["errors"]


def test_only_pending_certifications_are_reviewed_and_only_revised_ones_resubmitted(
    client, graduate, assessor
):
    certification = submit(client, graduate).json
    body = submission()
    del body["course"]
    path = f"/api/v1/me/certifications/{certification['id']}/submissions"
    assert client.post(path, json=body, headers=graduate.headers).status_code == 409

    review(client, assessor, certification["id"], "approve")

    assert review(client, assessor, certification["id"], "approve").status_code == 409
    assert client.post(path, json=body, headers=graduate.headers).status_code == 409
    assert review(client, assessor, 999_999, "approve").status_code == 404


def test_the_queue_pages_oldest_first_and_filters_by_status(
    client, person, assessor, certifiable, complete_course
):
    ids = []
    for _ in range(3):
        someone = person()
        complete_course(someone.headers, course="certifiable")
        ids.append(submit(client, someone).json["id"])
    review(client, assessor, ids[0], "approve")

    pending = client.get("/api/v1/certifications?per_page=1", headers=assessor.headers).json
    approved = client.get("/api/v1/certifications?status=approved", headers=assessor.headers).json

    assert (pending["total"], [item["id"] for item in pending["items"]]) == (2, [ids[1]])
    assert [item["id"] for item in approved["items"]] == [ids[0]]


def test_certificate_numbers_follow_each_other(
    client, person, assessor, certifiable, complete_course
):
    numbers = []
    for _ in range(2):
        someone = person()
        complete_course(someone.headers, course="certifiable")
        certification = submit(client, someone).json
        numbers.append(review(client, assessor, certification["id"], "approve").json["number"])

    assert [number[-6:] for number in numbers] == ["000001", "000002"]
    assert numbers[0][:8] == numbers[1][:8]


def test_one_becomes_carbon_literate_once(
    app, client, graduate, assessor, tmp_path, complete_course
):
    certification = submit(client, graduate).json
    review(client, assessor, certification["id"], "approve")
    import_folder(app, write_course(tmp_path / "second", slug="second", certifiable=True))
    complete_course(graduate.headers, course="second")

    response = submit(client, graduate, course="second")

    assert response.status_code == 409
    assert "already Carbon Literate" in response.json["detail"]
