"""Teachers open classes, list, change and delete them."""

import re

from learning.classes.services import current_school_year
from tests.classes.conftest import create_class, join

JOIN_CODE = re.compile(r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}")


def test_a_teacher_opens_a_class_and_gets_a_join_code(client, teacher):
    response = client.post(
        "/api/v1/classes",
        json={
            "name": "  5B   sciences ",
            "school": "Athénée Royal d'Ixelles",
            "commune": "ixelles",
            "language": "fr",
            "school_year": "2026-2027",
        },
        headers=teacher,
    )

    assert response.status_code == 201
    created = response.json
    assert created["name"] == "5B sciences"
    assert created["school_year"] == "2026-2027"
    assert JOIN_CODE.fullmatch(created["join_code"])
    assert created["join_code_expires_at"] is None
    assert created["leaderboard_enabled"] is False
    assert created["learners"] == 0
    assert [t["display_name"] for t in created["teachers"]] == ["Ms Peeters"]
    assert created["created_at"].endswith(("+01:00", "+02:00"))


def test_the_school_year_defaults_to_the_one_under_way(client, teacher):
    created = create_class(client, teacher)

    assert created["school_year"] == current_school_year()
    assert re.fullmatch(r"(\d{4})-(\d{4})", created["school_year"])


def test_join_codes_differ_between_classes(client, teacher):
    codes = {create_class(client, teacher, name=f"class {n}")["join_code"] for n in range(5)}

    assert len(codes) == 5


def test_admins_may_open_classes_too(client, auth_headers):
    assert create_class(client, auth_headers("admin"))["id"]


def test_learners_cannot_open_classes(client, auth_headers):
    response = client.post(
        "/api/v1/classes",
        json={"name": "x", "school": "y", "commune": "ixelles", "language": "fr"},
        headers=auth_headers(),
    )

    assert response.status_code == 403
    assert response.content_type == "application/problem+json"


def test_invalid_class_fields_are_named(client, teacher):
    response = client.post(
        "/api/v1/classes",
        json={
            "name": "5B",
            "school": "Lycée",
            "commune": "paris",
            "language": "de",
            "school_year": "2026-2028",
        },
        headers=teacher,
    )

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"commune", "language", "school_year"}


def test_a_blank_name_is_refused(client, teacher):
    response = client.post(
        "/api/v1/classes",
        json={"name": "   ", "school": "Lycée", "commune": "uccle", "language": "nl"},
        headers=teacher,
    )

    assert response.status_code == 422
    assert "name" in response.json["errors"]


def test_a_teacher_lists_the_classes_they_teach_newest_first(client, teacher, auth_headers):
    first = create_class(client, teacher, name="first")
    second = create_class(client, teacher, name="second")
    create_class(client, auth_headers("teacher"), name="someone else's")

    listing = client.get("/api/v1/classes", headers=teacher).json

    assert [c["id"] for c in listing["items"]] == [second["id"], first["id"]]
    assert listing["total"] == 2
    assert listing["page"] == 1


def test_the_class_counts_its_learners(client, teacher, school_class, auth_headers):
    join(client, auth_headers(), school_class["join_code"])
    join(client, auth_headers(), school_class["join_code"])

    shown = client.get(f"/api/v1/classes/{school_class['id']}", headers=teacher).json

    assert shown["learners"] == 2


def test_a_teacher_changes_a_class_and_switches_its_leaderboard_on(client, teacher, school_class):
    response = client.patch(
        f"/api/v1/classes/{school_class['id']}",
        json={"name": "6B", "commune": "schaerbeek", "leaderboard_enabled": True},
        headers=teacher,
    )

    assert response.status_code == 200
    assert response.json["name"] == "6B"
    assert response.json["commune"] == "schaerbeek"
    assert response.json["leaderboard_enabled"] is True
    assert response.json["join_code"] == school_class["join_code"]


def test_deleting_a_class_removes_it_for_its_learners(client, teacher, school_class, learner):
    response = client.delete(f"/api/v1/classes/{school_class['id']}", headers=teacher)

    assert response.status_code == 204
    assert client.get(f"/api/v1/classes/{school_class['id']}", headers=teacher).status_code == 404
    assert client.get("/api/v1/me/classes", headers=learner).json["items"] == []
