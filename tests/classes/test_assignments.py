"""Teachers assign a course or a module with a due date; learners see what is assigned to them."""

from datetime import UTC, datetime, timedelta

import pytest

from learning.brussels import TIMEZONE
from tests.classes.conftest import (
    assign,
    complete,
    create_class,
    in_days,
    join,
    pass_quiz,
    set_due,
    start,
    write_course,
)
from tests.factories import import_folder


def _next_year(month: int, day: int) -> str:
    return f"{datetime.now(TIMEZONE).year + 1}-{month:02d}-{day:02d}"


def test_a_teacher_assigns_a_whole_course(client, course, teacher, school_class):
    due = in_days(14)

    assignment = assign(client, teacher, school_class["id"], due_at=due, note="  Pour lundi ")

    assert assignment["course"] == "course"
    assert assignment["module"] is None
    assert assignment["course_title"] == "Generated course (fr)"
    assert assignment["module_title"] is None
    assert assignment["note"] == "Pour lundi"
    assert datetime.fromisoformat(assignment["due_at"]) == datetime.fromisoformat(due)
    assert assignment["due_at"].endswith(("+01:00", "+02:00"))


def test_a_teacher_assigns_one_module(client, course, teacher, school_class):
    assignment = assign(client, teacher, school_class["id"], module="module-1")

    assert assignment["module"] == "module-1"
    assert assignment["module_title"] == "Module 1 (fr)"


def test_titles_fall_back_to_the_courses_first_language(app, client, teacher, tmp_path):
    import_folder(app, write_course(tmp_path / "en", slug="english", languages=("en",)))
    dutch_class = create_class(client, teacher, language="nl")

    assignment = assign(client, teacher, dutch_class["id"], course="english")

    assert assignment["course_title"] == "Generated course (en)"


@pytest.mark.parametrize(
    ("month", "day", "offset"), [(1, 15, "+01:00"), (7, 15, "+02:00")], ids=["winter", "summer"]
)
def test_a_plain_due_date_means_the_end_of_that_day_in_brussels(
    client, course, teacher, school_class, month, day, offset
):
    date = _next_year(month, day)

    assignment = assign(client, teacher, school_class["id"], due_at=date)

    assert assignment["due_at"] == f"{date}T23:59:59{offset}"


def test_a_utc_due_time_is_shown_in_brussels(client, course, teacher, school_class):
    assignment = assign(
        client, teacher, school_class["id"], due_at=f"{_next_year(1, 20)}T10:00:00Z"
    )

    assert assignment["due_at"] == f"{_next_year(1, 20)}T11:00:00+01:00"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"course": "nope"}, "course"),
        ({"module": "module-9"}, "module"),
        ({"due_at": "2020-01-01"}, "due_at"),
        ({"due_at": "tomorrow"}, "due_at"),
        ({"due_at": "2031-02-30"}, "due_at"),
        ({"due_at": "2031-01-01T10:00:00"}, "due_at"),
        ({"course": "Not A Slug"}, "course"),
    ],
    ids=["unknown course", "unknown module", "past", "words", "no such day", "no offset", "slug"],
)
def test_bad_assignments_name_the_field(client, course, teacher, school_class, fields, field):
    body = {"course": "course", "due_at": in_days(3), **fields}

    response = client.post(
        f"/api/v1/classes/{school_class['id']}/assignments", json=body, headers=teacher
    )

    assert response.status_code == 422
    assert field in response.json["errors"]


def test_assigning_the_same_thing_twice_is_a_conflict(client, course, teacher, school_class):
    assign(client, teacher, school_class["id"])
    assign(client, teacher, school_class["id"], module="module-0")

    again = client.post(
        f"/api/v1/classes/{school_class['id']}/assignments",
        json={"course": "course", "due_at": in_days(9)},
        headers=teacher,
    )

    assert again.status_code == 409


def test_a_teacher_moves_a_due_date_and_changes_the_note(client, course, teacher, school_class):
    assignment = assign(client, teacher, school_class["id"], note="first")
    path = f"/api/v1/classes/{school_class['id']}/assignments/{assignment['id']}"

    changed = client.patch(path, json={"due_at": _next_year(3, 1), "note": None}, headers=teacher)

    assert changed.status_code == 200
    assert changed.json["due_at"] == f"{_next_year(3, 1)}T23:59:59+01:00"
    assert changed.json["note"] is None
    assert client.get(path, headers=teacher).json == changed.json


def test_a_teacher_lists_and_withdraws_assignments(client, course, teacher, school_class):
    later = assign(client, teacher, school_class["id"], due_at=in_days(20))
    sooner = assign(client, teacher, school_class["id"], module="module-0", due_at=in_days(2))
    path = f"/api/v1/classes/{school_class['id']}/assignments"

    listed = client.get(path, headers=teacher).json
    withdrawn = client.delete(f"{path}/{later['id']}", headers=teacher)

    assert [a["id"] for a in listed["items"]] == [sooner["id"], later["id"]]
    assert withdrawn.status_code == 204
    assert [a["id"] for a in client.get(path, headers=teacher).json["items"]] == [sooner["id"]]
    assert client.get(f"{path}/{later['id']}", headers=teacher).status_code == 404


def _mine(client, headers, query=""):
    response = client.get(f"/api/v1/me/assignments{query}", headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_a_learner_sees_what_is_assigned_and_how_far_they_are(
    client, course, teacher, school_class, learner
):
    assignment = assign(client, teacher, school_class["id"], module="module-0", note="Lisez")

    before = _mine(client, learner)["items"]
    start(client, learner, "lesson-0-0")
    started = _mine(client, learner)["items"][0]
    complete(client, learner, "lesson-0-0")
    halfway = _mine(client, learner)["items"][0]
    complete(client, learner, "lesson-0-1")
    done = _mine(client, learner)["items"][0]

    assert [(a["id"], a["class_name"], a["note"]) for a in before] == [
        (assignment["id"], "5B", "Lisez")
    ]
    assert (before[0]["state"], before[0]["percent"]) == ("not_started", 0)
    assert (started["state"], started["percent"]) == ("in_progress", 0)
    assert (halfway["state"], halfway["percent"]) == ("in_progress", 50)
    assert (done["state"], done["percent"], done["late"]) == ("done", 100, False)
    assert done["completed_at"].endswith(("+01:00", "+02:00"))


def test_a_module_with_a_quiz_is_done_once_the_quiz_is_passed(
    client, course, teacher, school_class, learner
):
    assign(client, teacher, school_class["id"], module="module-1")
    complete(client, learner, "lesson-1-0", "lesson-1-1")
    lessons_done = _mine(client, learner)["items"][0]

    pass_quiz(client, learner)

    assert (lessons_done["state"], lessons_done["percent"]) == ("in_progress", 66)
    assert _mine(client, learner)["items"][0]["state"] == "done"


def test_an_overdue_assignment_is_late_until_done(
    app, client, course, teacher, school_class, learner
):
    assignment = assign(client, teacher, school_class["id"], module="module-0")
    set_due(app, assignment["id"], datetime.now(UTC) - timedelta(days=1))

    overdue = _mine(client, learner)["items"][0]
    complete(client, learner, "lesson-0-0", "lesson-0-1")
    finished = _mine(client, learner)["items"][0]

    assert (overdue["state"], overdue["late"], overdue["due_soon"]) == ("late", True, False)
    assert (finished["state"], finished["late"]) == ("done", True)


def test_work_done_before_the_due_date_is_not_late_afterwards(
    app, client, course, teacher, school_class, learner
):
    assignment = assign(client, teacher, school_class["id"], module="module-0")
    complete(client, learner, "lesson-0-0", "lesson-0-1", at=datetime.now(UTC) - timedelta(days=3))
    set_due(app, assignment["id"], datetime.now(UTC) - timedelta(days=2))

    mine = _mine(client, learner)["items"][0]

    assert (mine["state"], mine["late"]) == ("done", False)


def test_due_soon_means_within_the_configured_days(
    client, course, teacher, school_class, learner, app
):
    soon = assign(client, teacher, school_class["id"], module="module-0", due_at=in_days(3))
    later = assign(client, teacher, school_class["id"], module="module-1", due_at=in_days(30))

    mine = _mine(client, learner)

    assert mine["due_soon_days"] == app.config["CLASS_DUE_SOON_DAYS"] == 7
    assert [(a["id"], a["due_soon"]) for a in mine["items"]] == [
        (soon["id"], True),
        (later["id"], False),
    ]
    assert [a["id"] for a in _mine(client, learner, "?due_soon=true")["items"]] == [soon["id"]]


def test_the_due_soon_window_is_configurable(app_factory, auth_headers, course):
    client = app_factory(CLASS_DUE_SOON_DAYS=40).test_client()
    teacher = auth_headers("teacher")
    learner = auth_headers()
    class_id = create_class(client, teacher)["id"]
    join(
        client,
        learner,
        client.get(f"/api/v1/classes/{class_id}", headers=teacher).json["join_code"],
    )
    assign(client, teacher, class_id, due_at=in_days(30))

    mine = _mine(client, learner)

    assert mine["due_soon_days"] == 40
    assert mine["items"][0]["due_soon"] is True


def test_done_work_is_never_due_soon(client, course, teacher, school_class, learner):
    assign(client, teacher, school_class["id"], module="module-0", due_at=in_days(1))
    complete(client, learner, "lesson-0-0", "lesson-0-1")

    assert _mine(client, learner)["items"][0]["due_soon"] is False


def test_assignments_come_from_every_class_i_am_in(
    client, course, teacher, school_class, learner, auth_headers
):
    other_teacher = auth_headers("teacher")
    other = create_class(client, other_teacher, name="Atelier climat")
    join(client, learner, other["join_code"])
    assign(client, teacher, school_class["id"], due_at=in_days(5))
    assign(client, other_teacher, other["id"], module="module-1", due_at=in_days(2))
    outsider_class = create_class(client, other_teacher, name="not mine")
    assign(client, other_teacher, outsider_class["id"], due_at=in_days(1))

    mine = _mine(client, learner)

    assert [(a["class_name"], a["module"]) for a in mine["items"]] == [
        ("Atelier climat", "module-1"),
        ("5B", None),
    ]


def test_learners_filter_their_assignments_by_state(client, course, teacher, school_class, learner):
    assign(client, teacher, school_class["id"], module="module-0")
    assign(client, teacher, school_class["id"], module="module-1")
    complete(client, learner, "lesson-0-0", "lesson-0-1")

    done = _mine(client, learner, "?state=done")
    not_started = _mine(client, learner, "?state=not_started&per_page=1")

    assert [a["module"] for a in done["items"]] == ["module-0"]
    assert [a["module"] for a in not_started["items"]] == ["module-1"]
    assert not_started["total"] == 1


def test_a_removed_learner_no_longer_sees_the_class_assignments(
    client, course, teacher, school_class, learner
):
    assign(client, teacher, school_class["id"])
    client.delete(f"/api/v1/me/classes/{school_class['id']}", headers=learner)

    assert _mine(client, learner)["items"] == []
