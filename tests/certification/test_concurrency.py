"""Approvals at the same moment: one review per submission, one number per certificate
(PostgreSQL)."""

import threading

import pytest

from tests.certification.conftest import submit

pytestmark = pytest.mark.postgresql_only


def at_once(calls) -> list:
    barrier = threading.Barrier(len(calls))
    answers = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        answers[index] = call()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def approve(app, assessor, certification_id):
    def call():
        response = app.test_client().post(
            f"/api/v1/certifications/{certification_id}/review",
            json={"decision": "approve"},
            headers=assessor.headers,
        )
        return response.status_code, response.json

    return call


def test_two_assessors_approving_at_once_approve_once(app, client, graduate, person):
    certification = submit(client, graduate).json
    assessors = [person("assessor") for _ in range(2)]

    answers = at_once([approve(app, assessor, certification["id"]) for assessor in assessors])

    assert sorted(status for status, _ in answers) == [200, 409]
    approved = next(body for status, body in answers if status == 200)
    assert len(approved["reviews"]) == 1


def test_concurrent_approvals_get_distinct_numbers(
    app, client, person, certifiable, complete_course
):
    assessor = person("assessor")
    ids = []
    for _ in range(4):
        someone = person()
        complete_course(someone.headers, course="certifiable")
        ids.append(submit(client, someone).json["id"])

    answers = at_once([approve(app, assessor, certification_id) for certification_id in ids])

    assert [status for status, _ in answers] == [200] * 4
    numbers = sorted(body["number"][-6:] for _, body in answers)
    assert numbers == ["000001", "000002", "000003", "000004"]
