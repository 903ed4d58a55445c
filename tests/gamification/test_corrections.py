"""Corrections: an admin compensates with a new entry and a reason; the ledger is never edited."""

import uuid

from tests.gamification.conftest import brussels


def correct(client, admin, who, **body):
    return client.post(
        f"/api/v1/users/{who.id}/points/corrections",
        json={"reason": "Rushed through lessons", **body},
        headers=admin.headers,
    )


def week_board(client, who):
    return client.get("/api/v1/leaderboards?period=week", headers=who.headers).json["me"]


def test_a_correction_is_a_compensating_entry(client, person, admin, deed, ledger, points):
    ana = person("Ana")
    deed(ana, subject="farmed")
    farmed = points(ana)["recent"][0]

    response = correct(client, admin, ana, points=-10, entry=farmed["id"])

    assert response.status_code == 201
    assert response.json["rule"] == "correction"
    assert response.json["label"] == "Correction"
    assert (response.json["points"], response.json["reason"]) == (-10, "Rushed through lessons")
    assert (response.json["compensates"], response.json["created_by"]) == (farmed["id"], admin.id)
    assert ledger(ana)[0] == ("good_deed", "farmed", 10)
    assert points(ana)["total"] == 0


def test_a_correction_of_an_entry_counts_in_that_entrys_week(
    client, person, admin, deed, clock, points
):
    ana = person("Ana")
    deed(ana, subject="last week", at=brussels(2026, 2, 26, 12, 0))
    deed(ana, subject="this week")
    old = next(entry for entry in points(ana)["recent"] if entry["subject"] == "last week")

    correct(client, admin, ana, points=-10, entry=old["id"])

    assert week_board(client, ana) == {"rank": 1, "points": 10}
    assert points(ana)["total"] == 10


def test_a_correction_sent_again_with_its_id_is_made_once(client, person, admin, points):
    ana = person("Ana")
    body = {"id": str(uuid.uuid4()), "points": 25, "reason": "Helped at the repair café"}

    first = correct(client, admin, ana, **body)
    again = correct(client, admin, ana, **body)

    assert again.json == first.json
    assert points(ana)["total"] == 25


def test_a_correction_id_used_for_another_correction_is_a_conflict(client, person, admin):
    ana = person("Ana")
    body = {"id": str(uuid.uuid4()), "points": 25, "reason": "Helped at the repair café"}
    correct(client, admin, ana, **body)

    response = correct(client, admin, ana, **{**body, "points": 250})

    assert response.status_code == 409


def test_only_admins_correct_points(client, person):
    ana, ben = person("Ana"), person("Ben")

    response = correct(client, ben, ana, points=100)

    assert response.status_code == 403
    assert response.headers["Content-Type"] == "application/problem+json"


def test_a_correction_needs_points_a_reason_and_an_entry_of_that_learner(
    client, person, admin, deed, points
):
    ana, ben = person("Ana"), person("Ben")
    deed(ben)
    bens = points(ben)["recent"][0]["id"]

    zero = correct(client, admin, ana, points=0)
    no_reason = correct(client, admin, ana, points=5, reason="")
    not_hers = correct(client, admin, ana, points=-10, entry=bens)
    nobody = client.post(
        "/api/v1/users/999999/points/corrections",
        json={"points": 5, "reason": "Unknown"},
        headers=admin.headers,
    )

    assert (zero.status_code, list(zero.json["errors"])) == (422, ["points"])
    assert (no_reason.status_code, list(no_reason.json["errors"])) == (422, ["reason"])
    assert (not_hers.status_code, list(not_hers.json["errors"])) == (422, ["entry"])
    assert nobody.status_code == 404


def test_admins_read_a_learners_whole_ledger(client, person, admin, deed):
    ana = person("Ana")
    for subject in ("a", "b", "c"):
        deed(ana, subject=subject)

    page = client.get(
        f"/api/v1/users/{ana.id}/points/entries?per_page=2", headers=admin.headers
    ).json
    mine = client.get("/api/v1/me/points/entries", headers=ana.headers).json

    assert (page["total"], len(page["items"])) == (3, 2)
    assert [entry["subject"] for entry in mine["items"]] == ["c", "b", "a"]
    assert (
        client.get(f"/api/v1/users/{ana.id}/points/entries", headers=ana.headers).status_code == 403
    )
