"""Only a class's teachers see and change it; anyone else gets 404, and no one gets in unsigned."""

import pytest

from tests.classes.conftest import assign, create_class, in_days, join, user_id

# Every teacher-only operation on a class: (method, path under /api/v1/classes/{id}, body).
TEACHER_OPERATIONS = [
    ("get", "", None),
    ("patch", "", {"leaderboard_enabled": True}),
    ("delete", "", None),
    ("post", "/join-code", {}),
    ("get", "/members", None),
    ("delete", "/members/{learner}", None),
    ("put", "/teachers/{colleague}", None),
    ("delete", "/teachers/{teacher}", None),
    ("get", "/assignments", None),
    ("post", "/assignments", {"course": "course", "due_at": "2099-01-01"}),
    ("get", "/assignments/{assignment}", None),
    ("patch", "/assignments/{assignment}", {"note": "mine now"}),
    ("delete", "/assignments/{assignment}", None),
    ("get", "/progress", None),
    ("get", "/progress?format=csv", None),
]
IDS = [f"{method} {path or '/'}" for method, path, _ in TEACHER_OPERATIONS]


@pytest.fixture
def setting(client, course, teacher, school_class, learner, auth_headers):
    """Class A with a learner and an assignment; a colleague who could be added to it."""
    colleague = auth_headers("teacher")
    assignment = assign(client, teacher, school_class["id"])
    return {
        "class": school_class["id"],
        "learner": user_id(client, learner),
        "teacher": user_id(client, teacher),
        "colleague": user_id(client, colleague),
        "assignment": assignment["id"],
    }


def _call(client, headers, method, path, body, setting):
    url = f"/api/v1/classes/{setting['class']}{path.format(**setting)}"
    return getattr(client, method)(url, json=body, headers=headers)


@pytest.mark.parametrize(("method", "path", "body"), TEACHER_OPERATIONS, ids=IDS)
def test_a_teacher_of_another_class_gets_404(
    client, auth_headers, setting, teacher, method, path, body
):
    other_teacher = auth_headers("teacher")
    create_class(client, other_teacher, name="their own class")

    response = _call(client, other_teacher, method, path, body, setting)

    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert client.get(f"/api/v1/classes/{setting['class']}", headers=teacher).status_code == 200


@pytest.mark.parametrize(("method", "path", "body"), TEACHER_OPERATIONS, ids=IDS)
def test_the_class_s_own_learners_get_404_too(client, learner, setting, method, path, body):
    response = _call(client, learner, method, path, body, setting)

    assert response.status_code == 404


@pytest.mark.parametrize(("method", "path", "body"), TEACHER_OPERATIONS, ids=IDS)
def test_nobody_gets_in_without_signing_in(client, setting, method, path, body):
    response = _call(client, {}, method, path, body, setting)

    assert response.status_code == 401


def test_the_teacher_s_own_operations_succeed(client, teacher, setting):
    """The same operations answer their teacher, so each 404 above is about who asks."""
    answers = {
        f"{method} {path}": _call(client, teacher, method, path, body, setting).status_code
        for method, path, body in TEACHER_OPERATIONS
        if method in ("get", "patch")
    }

    assert set(answers.values()) == {200}


def test_an_assignment_cannot_be_reached_through_another_class(client, auth_headers, setting):
    other_teacher = auth_headers("teacher")
    theirs = create_class(client, other_teacher)["id"]
    path = f"/api/v1/classes/{theirs}/assignments/{setting['assignment']}"

    answers = [
        client.get(path, headers=other_teacher),
        client.patch(path, json={"due_at": in_days(30)}, headers=other_teacher),
        client.delete(path, headers=other_teacher),
    ]

    assert [a.status_code for a in answers] == [404, 404, 404]


def test_a_learner_of_another_class_cannot_be_removed_through_mine(
    client, auth_headers, setting, teacher
):
    other_teacher = auth_headers("teacher")
    theirs = create_class(client, other_teacher)["id"]

    response = client.delete(
        f"/api/v1/classes/{theirs}/members/{setting['learner']}", headers=other_teacher
    )

    assert response.status_code == 404
    members = client.get(f"/api/v1/classes/{setting['class']}/members", headers=teacher).json
    assert members["total"] == 1


def test_a_teacher_lists_only_their_own_classes_and_members(client, auth_headers, setting):
    other_teacher = auth_headers("teacher")
    theirs = create_class(client, other_teacher)
    join(client, auth_headers(display_name="Their pupil"), theirs["join_code"])

    listed = client.get("/api/v1/classes", headers=other_teacher).json
    members = client.get(f"/api/v1/classes/{theirs['id']}/members", headers=other_teacher).json

    assert [c["id"] for c in listed["items"]] == [theirs["id"]]
    assert [m["display_name"] for m in members["items"]] == ["Their pupil"]


def test_learners_see_only_their_own_assignments_and_classes(
    client, auth_headers, setting, learner
):
    outsider = auth_headers()

    assert client.get("/api/v1/me/assignments", headers=outsider).json["items"] == []
    assert client.get("/api/v1/me/classes", headers=outsider).json["items"] == []
    assert len(client.get("/api/v1/me/assignments", headers=learner).json["items"]) == 1


def test_learners_of_another_class_do_not_see_classmates(client, auth_headers, setting, teacher):
    client.patch(
        f"/api/v1/classes/{setting['class']}",
        json={"leaderboard_enabled": True},
        headers=teacher,
    )
    other_teacher = auth_headers("teacher")
    theirs = create_class(client, other_teacher)
    their_pupil = auth_headers()
    join(client, their_pupil, theirs["join_code"])

    response = client.get(f"/api/v1/classes/{setting['class']}/classmates", headers=their_pupil)

    assert response.status_code == 404


def test_a_learner_cannot_leave_a_class_they_are_not_in(client, auth_headers, setting):
    response = client.delete(f"/api/v1/me/classes/{setting['class']}", headers=auth_headers())

    assert response.status_code == 404
