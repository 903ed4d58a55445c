"""Pledges: a catalogue action at its central estimate, or my own, self-estimated; retry-safe."""

import uuid

import sqlalchemy as sa

from learning.actions.models import Pledge
from learning.extensions import db


def _pledges_in_database(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Pledge))


def test_a_learner_pledges_a_catalogue_action_at_its_central_estimate(client, auth_headers):
    learner = auth_headers(locale="en")

    response = client.post("/api/v1/me/pledges", json={"action": "bike-commute"}, headers=learner)

    assert response.status_code == 201
    pledge = response.json
    uuid.UUID(pledge["id"])
    assert pledge["action"] == "bike-commute"
    assert pledge["title"] == "Cycle to work or school instead of driving"
    assert (pledge["category"], pledge["kind"]) == ("mobility", "personal")
    assert pledge["self_estimated"] is False
    assert pledge["kg_co2e_per_year"] == 370
    assert pledge["status"] == "pledged"
    assert pledge["realised_kg_co2e"] == 0
    assert pledge["kept_since"] is None and pledge["reports"] == []


def test_a_custom_action_is_flagged_self_estimated(client, auth_headers):
    learner = auth_headers()

    response = client.post(
        "/api/v1/me/pledges",
        json={"custom": {"title": "  Walk my  kids to school ", "kg_co2e_per_year": 120}},
        headers=learner,
    )

    assert response.status_code == 201
    pledge = response.json
    assert (pledge["action"], pledge["category"]) == (None, None)
    assert pledge["self_estimated"] is True
    assert pledge["title"] == "Walk my kids to school"
    assert (pledge["kind"], pledge["kg_co2e_per_year"]) == ("personal", 120)


def test_a_pledge_names_an_action_or_a_custom_one_never_both(client, auth_headers):
    learner = auth_headers()
    custom = {"title": "Mine", "kg_co2e_per_year": 10}

    neither = client.post("/api/v1/me/pledges", json={}, headers=learner)
    both = client.post(
        "/api/v1/me/pledges", json={"action": "tap-water", "custom": custom}, headers=learner
    )

    assert neither.status_code == both.status_code == 422
    assert both.json["errors"] == {"_schema": ["Send either action or custom."]}


def test_an_unknown_action_is_invalid_input(client, auth_headers):
    response = client.post(
        "/api/v1/me/pledges", json={"action": "fly-more"}, headers=auth_headers()
    )

    assert response.status_code == 422
    assert response.json["errors"] == {"action": ["Unknown action; see GET /api/v1/actions."]}


def test_a_self_estimate_must_be_positive_and_credible(client, auth_headers):
    learner = auth_headers()

    def post(kg, title="Mine"):
        body = {"custom": {"title": title, "kg_co2e_per_year": kg}}
        return client.post("/api/v1/me/pledges", json=body, headers=learner)

    assert post(0).status_code == 422
    assert post(20_001).status_code == 422
    assert post(20_000).status_code == 201
    blank = post(5, title="   ")
    assert blank.status_code == 422
    assert blank.json["errors"] == {"custom.title": ["Must not be blank."]}


def test_a_live_action_cannot_be_pledged_twice_but_can_again_once_dropped(client, auth_headers):
    learner = auth_headers()
    first = client.post("/api/v1/me/pledges", json={"action": "tap-water"}, headers=learner)

    again = client.post("/api/v1/me/pledges", json={"action": "tap-water"}, headers=learner)
    client.post(
        f"/api/v1/me/pledges/{first.json['id']}/reports",
        json={"status": "dropped"},
        headers=learner,
    )
    after_dropping = client.post(
        "/api/v1/me/pledges", json={"action": "tap-water"}, headers=learner
    )

    assert again.status_code == 409
    assert first.json["id"] in again.json["detail"]
    assert after_dropping.status_code == 201
    assert after_dropping.json["id"] != first.json["id"]


def test_resending_a_pledge_with_its_id_answers_the_same_pledge_once(
    app, client, auth_headers, fired
):
    learner = auth_headers()
    body = {"id": str(uuid.uuid4()), "action": "heat-pump"}

    first = client.post("/api/v1/me/pledges", json=body, headers=learner)
    second = client.post("/api/v1/me/pledges", json=body, headers=learner)

    assert first.status_code == second.status_code == 201
    assert first.json == second.json
    assert first.json["id"] == body["id"]
    assert _pledges_in_database(app) == 1
    assert [name for name, _ in fired] == ["action_pledged"]


def test_a_pledge_id_cannot_be_reused_for_another_pledge_or_by_someone_else(client, auth_headers):
    learner, other = auth_headers(), auth_headers()
    pledge_id = str(uuid.uuid4())
    client.post(
        "/api/v1/me/pledges", json={"id": pledge_id, "action": "heat-pump"}, headers=learner
    )

    changed = client.post(
        "/api/v1/me/pledges", json={"id": pledge_id, "action": "tap-water"}, headers=learner
    )
    stolen = client.post(
        "/api/v1/me/pledges", json={"id": pledge_id, "action": "heat-pump"}, headers=other
    )

    assert changed.status_code == stolen.status_code == 409


def test_pledging_announces_action_pledged(client, make_user, login, fired):
    user_id, email = make_user()
    learner = {"Authorization": f"Bearer {login(email)['access_token']}"}

    pledge = client.post(
        "/api/v1/me/pledges", json={"action": "canteen-veggie-day"}, headers=learner
    ).json

    ((name, fields),) = fired
    assert name == "action_pledged"
    assert fields["user_id"] == user_id
    assert fields["pledge"] == pledge["id"]
    assert (fields["action"], fields["category"], fields["kind"]) == (
        "canteen-veggie-day",
        "civic",
        "with_others",
    )
    assert fields["self_estimated"] is False and fields["kg_co2e_per_year"] == 70
    assert fields["at"].tzinfo is not None


def test_my_pledges_are_listed_newest_first_and_only_mine(client, auth_headers, pledge, learners):
    learner = auth_headers(locale="fr")
    client.post("/api/v1/me/pledges", json={"action": "tap-water"}, headers=learner)
    client.post("/api/v1/me/pledges", json={"action": "less-beef"}, headers=learner)
    (someone_else,) = learners(1)
    pledge(someone_else, "heat-pump")

    response = client.get("/api/v1/me/pledges", headers=learner)

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr"
    body = response.json
    assert [p["action"] for p in body["items"]] == ["less-beef", "tap-water"]
    assert (
        body["items"][0]["title"] == "Remplacer le bœuf par du poulet, des œufs ou des légumineuses"
    )
    assert (body["total"], body["page"], body["per_page"]) == (2, 1, 20)


def test_my_pledges_filter_by_status(client, auth_headers):
    learner = auth_headers()
    kept = client.post("/api/v1/me/pledges", json={"action": "tap-water"}, headers=learner).json
    client.post("/api/v1/me/pledges", json={"action": "less-beef"}, headers=learner)
    client.post(
        f"/api/v1/me/pledges/{kept['id']}/reports", json={"status": "done"}, headers=learner
    )

    done = client.get("/api/v1/me/pledges?status=done", headers=learner).json

    assert [p["id"] for p in done["items"]] == [kept["id"]]


def test_one_pledge_is_mine_to_read_and_no_one_elses(client, auth_headers):
    learner, other = auth_headers(), auth_headers()
    pledge = client.post("/api/v1/me/pledges", json={"action": "tap-water"}, headers=learner).json

    mine = client.get(f"/api/v1/me/pledges/{pledge['id']}", headers=learner)
    theirs = client.get(f"/api/v1/me/pledges/{pledge['id']}", headers=other)

    assert mine.status_code == 200 and mine.json["id"] == pledge["id"]
    assert theirs.status_code == 404


def test_pledges_need_a_signed_in_learner(client):
    response = client.post("/api/v1/me/pledges", json={"action": "tap-water"})

    assert response.status_code == 401
