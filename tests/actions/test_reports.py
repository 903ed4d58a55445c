"""Reports: progress on a pledge (ongoing, done, dropped), with history and documented rules."""

import uuid
from datetime import timedelta

from tests.actions.conftest import T0


def _post_report(client, headers, pledge_id, **body):
    return client.post(f"/api/v1/me/pledges/{pledge_id}/reports", json=body, headers=headers)


def test_reports_move_a_pledge_along_and_keep_its_history(learners, pledge, report):
    (learner,) = learners(1)
    pledged = pledge(learner, "bike-commute")

    report(learner, pledged["id"], "ongoing", at=T0 + timedelta(days=2), note="Twice a week")
    report(learner, pledged["id"], "done", at=T0 + timedelta(days=30), note=" Every day now ")
    final = report(learner, pledged["id"], "dropped", at=T0 + timedelta(days=60))

    assert final["status"] == "dropped"
    assert [(r["status"], r["note"]) for r in final["reports"]] == [
        ("ongoing", "Twice a week"),
        ("done", "Every day now"),
        ("dropped", None),
    ]
    assert final["kept_since"] == T0 + timedelta(days=2)
    assert final["done_at"] == T0 + timedelta(days=30)
    assert final["dropped_at"] == T0 + timedelta(days=60)


def test_ongoing_and_done_may_be_repeated_as_notes_without_moving_the_start(
    learners, pledge, report
):
    (learner,) = learners(1)
    pledged = pledge(learner, "tap-water")

    report(learner, pledged["id"], "ongoing", at=T0 + timedelta(days=1))
    report(learner, pledged["id"], "ongoing", at=T0 + timedelta(days=5), note="Still going")
    report(learner, pledged["id"], "done", at=T0 + timedelta(days=9))
    latest = report(learner, pledged["id"], "done", at=T0 + timedelta(days=20), note="Yes")

    assert latest["kept_since"] == T0 + timedelta(days=1)
    assert latest["done_at"] == T0 + timedelta(days=9)
    assert len(latest["reports"]) == 4


def test_done_cannot_go_back_to_ongoing(client, auth_headers):
    learner = auth_headers()
    pledge = client.post("/api/v1/me/pledges", json={"action": "heat-pump"}, headers=learner).json
    _post_report(client, learner, pledge["id"], status="done")

    response = _post_report(client, learner, pledge["id"], status="ongoing")

    assert response.status_code == 409
    assert response.json["detail"] == "This pledge is done; it can be reported done, dropped."


def test_dropped_is_final(client, auth_headers):
    learner = auth_headers()
    pledge = client.post("/api/v1/me/pledges", json={"action": "heat-pump"}, headers=learner).json
    _post_report(client, learner, pledge["id"], status="dropped")

    answers = [
        _post_report(client, learner, pledge["id"], status=status).status_code
        for status in ("ongoing", "done", "dropped")
    ]

    assert answers == [409, 409, 409]


def test_a_report_is_answered_with_the_pledge(client, auth_headers):
    learner = auth_headers()
    pledge = client.post("/api/v1/me/pledges", json={"action": "heat-pump"}, headers=learner).json

    response = _post_report(
        client, learner, pledge["id"], status="ongoing", note="Installer booked"
    )

    assert response.status_code == 201
    assert response.json["status"] == "ongoing"
    assert response.json["kept_since"] is not None
    (entry,) = response.json["reports"]
    assert (entry["status"], entry["note"]) == ("ongoing", "Installer booked")


def test_someone_elses_pledge_cannot_be_reported(client, auth_headers):
    learner, other = auth_headers(), auth_headers()
    pledge = client.post("/api/v1/me/pledges", json={"action": "heat-pump"}, headers=learner).json

    response = _post_report(client, other, pledge["id"], status="done")

    assert response.status_code == 404


def test_a_report_needs_a_known_status_and_a_short_note(client, auth_headers):
    learner = auth_headers()
    pledge = client.post("/api/v1/me/pledges", json={"action": "heat-pump"}, headers=learner).json

    unknown = _post_report(client, learner, pledge["id"], status="pledged")
    long_note = _post_report(client, learner, pledge["id"], status="ongoing", note="x" * 501)

    assert unknown.status_code == long_note.status_code == 422
    assert set(unknown.json["errors"]) == {"status"}
    assert set(long_note.json["errors"]) == {"note"}


def test_resending_a_report_with_its_id_changes_nothing(client, auth_headers, fired):
    learner = auth_headers()
    pledge = client.post("/api/v1/me/pledges", json={"action": "heat-pump"}, headers=learner).json
    body = {"id": str(uuid.uuid4()), "status": "done", "note": "Installed"}

    first = _post_report(client, learner, pledge["id"], **body)
    second = _post_report(client, learner, pledge["id"], **body)
    reused = _post_report(client, learner, pledge["id"], id=body["id"], status="dropped")

    assert first.status_code == second.status_code == 201
    assert first.json == second.json
    assert len(second.json["reports"]) == 1
    assert reused.status_code == 409
    assert [name for name, _ in fired] == ["action_pledged", "action_reported_done"]


def test_action_reported_done_fires_once_per_pledge(learners, pledge, report, fired):
    (learner,) = learners(1)
    pledged = pledge(learner, custom={"title": "Insulate the attic hatch", "kg_co2e_per_year": 40})

    report(learner, pledged["id"], "done", at=T0 + timedelta(days=1))
    report(learner, pledged["id"], "done", at=T0 + timedelta(days=2))
    report(learner, pledged["id"], "dropped", at=T0 + timedelta(days=3))

    done = [fields for name, fields in fired if name == "action_reported_done"]
    assert len(done) == 1
    assert done[0]["pledge"] == str(pledged["id"])
    assert done[0]["self_estimated"] is True and done[0]["action"] is None
    assert done[0]["at"] == T0 + timedelta(days=1)
