"""Impact of a class and of a learning circle: their members' pledges, never fewer than five."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import import_folder, write_package


@pytest.fixture
def signed_in(make_user, login):
    """A new learner: (user id, headers)."""

    def make():
        user_id, email = make_user()
        return user_id, {"Authorization": f"Bearer {login(email)['access_token']}"}

    return make


@pytest.fixture
def school_class(client, auth_headers):
    """A class made by a teacher; returns (id, join code)."""
    body = {"name": "5B", "school": "Athénée Royal", "commune": "jette", "language": "fr"}
    response = client.post("/api/v1/classes", json=body, headers=auth_headers("teacher"))
    assert response.status_code == 201, response.json
    return response.json["id"], response.json["join_code"]


@pytest.fixture
def circle(app, client, tmp_path, signed_in):
    """A published circle; returns (id, its facilitator's user id)."""
    import_folder(app, write_package(tmp_path / "course", slug="circle-course"))
    facilitator, headers = signed_in()
    body = {
        "course": "circle-course",
        "title": "Klimaat in de buurt",
        "language": "nl",
        "commune": "evere",
        "venue": {"name": "Bibliotheek Evere", "address": "Hoedemaekerssquare 10"},
        "capacity": 12,
        "first_meeting": (datetime.now(UTC) + timedelta(days=14)).isoformat(),
        "meetings": 4,
        "duration_minutes": 90,
        "timezone": "Europe/Brussels",
    }
    draft = client.post("/api/v1/circles", json=body, headers=headers)
    assert draft.status_code == 201, draft.json
    published = client.post(f"/api/v1/circles/{draft.json['id']}/publish", headers=headers)
    assert published.status_code == 200, published.json
    return draft.json["id"], facilitator


def join_class(client, code, signed_in, n) -> list[int]:
    members = []
    for _ in range(n):
        user_id, headers = signed_in()
        response = client.post("/api/v1/classes/join", json={"code": code}, headers=headers)
        assert response.status_code in (200, 201), response.json
        members.append(user_id)
    return members


def join_circle(client, circle_id, signed_in, n) -> list[int]:
    members = []
    for _ in range(n):
        user_id, headers = signed_in()
        response = client.post(f"/api/v1/circles/{circle_id}/signup", headers=headers)
        assert response.json["status"] == "joined", response.json
        members.append(user_id)
    return members


def test_a_class_of_four_pledging_learners_is_withheld_and_of_five_shown(
    client, school_class, signed_in, pledge, learners
):
    class_id, code = school_class
    members = join_class(client, code, signed_in, 5)
    for learner in members[:4] + learners(3):
        pledge(learner, "canteen-veggie-day")

    four = client.get(f"/api/v1/impact?scope=class:{class_id}").json
    pledge(members[4], "canteen-veggie-day")
    five = client.get(f"/api/v1/impact?scope=class:{class_id}").json

    assert four["withheld"] is True and four["catalogue"] is None
    assert five["learners"] == 5
    assert five["catalogue"]["pledged_kg_co2e_per_year"] == 5 * 70


def test_a_circle_counts_its_facilitator_and_seated_members(
    client, circle, signed_in, pledge, learners
):
    circle_id, facilitator = circle
    members = [facilitator, *join_circle(client, circle_id, signed_in, 4)]
    for learner in members[:4] + learners(2):
        pledge(learner, "energy-cooperative")

    four = client.get(f"/api/v1/impact?scope=circle:{circle_id}").json
    pledge(members[4], "energy-cooperative")
    five = client.get(f"/api/v1/impact?scope=circle:{circle_id}").json

    assert four["withheld"] is True
    assert five["learners"] == 5
    assert five["catalogue"]["pledged_kg_co2e_per_year"] == 5 * 120


def test_an_unknown_class_is_not_found(client):
    assert client.get("/api/v1/impact?scope=class:999999").status_code == 404
