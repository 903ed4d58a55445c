"""The class progress matrix: learners by assignments, summaries, and the same as CSV."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from learning.brussels import TIMEZONE
from learning.classes import export
from tests.classes.conftest import assign, complete, join, pass_quiz, set_due, start
from tests.factories import import_folder, write_package


def _matrix(client, teacher, class_id):
    response = client.get(f"/api/v1/classes/{class_id}/progress", headers=teacher)
    assert response.status_code == 200, response.json
    return response.json


def _cells(matrix) -> dict:
    """{display name: [(state, percent), ...]} in the order of the assignments."""
    return {
        row["display_name"]: [(cell["state"], cell["percent"]) for cell in row["cells"]]
        for row in matrix["learners"]
    }


@pytest.fixture
def bram(client, auth_headers, school_class):
    headers = auth_headers(display_name="Bram")
    join(client, headers, school_class["join_code"])
    return headers


def test_the_matrix_moves_as_learners_progress_through_the_course(
    client, course, teacher, school_class, learner, bram
):
    class_id = school_class["id"]
    module = assign(client, teacher, class_id, module="module-0", due_at=_days(3))
    whole = assign(client, teacher, class_id, due_at=_days(10))

    before = _matrix(client, teacher, class_id)
    complete(client, learner, "lesson-0-0", "lesson-0-1")
    start(client, bram, "lesson-0-0")
    middle = _matrix(client, teacher, class_id)
    complete(client, learner, "lesson-1-0", "lesson-1-1")
    pass_quiz(client, learner)
    after = _matrix(client, teacher, class_id)

    assert [a["id"] for a in before["assignments"]] == [module["id"], whole["id"]]
    assert _cells(before) == {
        "Amina": [("not_started", 0), ("not_started", 0)],
        "Bram": [("not_started", 0), ("not_started", 0)],
    }
    assert _cells(middle) == {
        "Amina": [("done", 100), ("in_progress", 40)],
        "Bram": [("in_progress", 0), ("in_progress", 0)],
    }
    assert _cells(after)["Amina"] == [("done", 100), ("done", 100)]
    amina = after["learners"][0]
    assert [cell["assignment_id"] for cell in amina["cells"]] == [module["id"], whole["id"]]
    assert all(cell["completed_at"].endswith(("+01:00", "+02:00")) for cell in amina["cells"])
    assert after["learners"][1]["cells"][0]["completed_at"] is None


def test_each_assignment_has_a_summary(client, course, teacher, school_class, learner, bram):
    assign(client, teacher, school_class["id"], module="module-0")
    complete(client, learner, "lesson-0-0", "lesson-0-1")
    complete(client, bram, "lesson-0-0")

    summary = _matrix(client, teacher, school_class["id"])["assignments"][0]["summary"]

    assert summary == {
        "learners": 2,
        "not_started": 0,
        "in_progress": 1,
        "done": 1,
        "late": 0,
        "average_percent": 75,
    }


def test_late_cells_are_flagged_and_counted(
    app, client, course, teacher, school_class, learner, bram
):
    assignment = assign(client, teacher, school_class["id"], module="module-0")
    set_due(app, assignment["id"], datetime.now(UTC) - timedelta(hours=2))
    complete(client, learner, "lesson-0-0", "lesson-0-1")

    matrix = _matrix(client, teacher, school_class["id"])

    amina, bram_row = (row["cells"][0] for row in matrix["learners"])
    assert (amina["state"], amina["late"]) == ("done", True)
    assert (bram_row["state"], bram_row["late"]) == ("late", True)
    assert matrix["assignments"][0]["summary"]["late"] == 1
    assert matrix["assignments"][0]["summary"]["done"] == 1


def test_an_empty_class_has_an_empty_matrix(client, teacher, school_class):
    matrix = _matrix(client, teacher, school_class["id"])

    assert matrix["class_name"] == "5B"
    assert matrix["assignments"] == []
    assert matrix["learners"] == []


def test_assignments_of_a_class_without_learners_have_empty_summaries(
    client, course, teacher, school_class
):
    assign(client, teacher, school_class["id"])

    matrix = _matrix(client, teacher, school_class["id"])

    assert matrix["learners"] == []
    assert matrix["assignments"][0]["summary"] == {
        "learners": 0,
        "not_started": 0,
        "in_progress": 0,
        "done": 0,
        "late": 0,
        "average_percent": 0,
    }


def test_a_withdrawn_course_counts_as_not_started(
    app, client, course, teacher, school_class, learner
):
    from learning.courses.models import RETIRED, CourseVersion
    from learning.extensions import db

    assign(client, teacher, school_class["id"])
    with app.app_context():
        db.session.execute(db.update(CourseVersion).values(status=RETIRED))
        db.session.commit()

    assert _cells(_matrix(client, teacher, school_class["id"])) == {"Amina": [("not_started", 0)]}


def test_the_matrix_costs_the_same_queries_for_any_number_of_learners_and_assignments(
    app, client, course, teacher, school_class, learner, auth_headers, tmp_path, count_queries
):
    class_id = school_class["id"]
    assign(client, teacher, class_id, module="module-0")
    complete(client, learner, "lesson-0-0")
    # Each count follows a first request: which version is published, and its structure, come
    # from the content cache once read.
    _matrix(client, teacher, class_id)
    with count_queries() as small:
        _matrix(client, teacher, class_id)

    import_folder(app, write_package(tmp_path / "other", slug="other", modules=3, quizzes=(0,)))
    assign(client, teacher, class_id, module="module-1")
    assign(client, teacher, class_id)
    assign(client, teacher, class_id, course="other")
    assign(client, teacher, class_id, course="other", module="module-2")
    for n in range(5):
        headers = auth_headers(display_name=f"learner {n}")
        join(client, headers, school_class["join_code"])
        complete(client, headers, "lesson-0-0", "lesson-0-1")
        complete(client, headers, "lesson-0-0", course="other")
        pass_quiz(client, headers, quiz="quiz-0", course="other")
    _matrix(client, teacher, class_id)
    with count_queries() as large:
        matrix = _matrix(client, teacher, class_id)

    assert len(matrix["learners"]) == 6
    assert len(matrix["assignments"]) == 5
    assert len(large) == len(small)


def _days(days):
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def _csv(response, delimiter=","):
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def test_the_matrix_as_csv_for_spreadsheets(client, course, teacher, school_class, learner, bram):
    assignment = assign(client, teacher, school_class["id"], module="module-0", due_at=_days(3))
    complete(client, learner, "lesson-0-0", "lesson-0-1")
    complete(client, bram, "lesson-0-0")

    response = client.get(
        f"/api/v1/classes/{school_class['id']}/progress", headers={**teacher, "Accept": "text/csv"}
    )

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.mimetype_params["charset"] == "utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv(response)
    due = datetime.fromisoformat(assignment["due_at"]).astimezone(TIMEZONE)
    label = f"Generated course (fr) / Module 0 (fr) (due {due:%Y-%m-%d %H:%M})"
    assert rows[0] == ["learner", f"{label}: percent", f"{label}: state", f"{label}: completed"]
    assert rows[1][:3] == ["Amina", "100", "done"]
    assert rows[1][3].startswith(datetime.now(TIMEZONE).strftime("%Y-"))
    assert rows[2] == ["Bram", "50", "in progress", ""]
    assert rows[3] == ["summary: average percent", "75", "", ""]
    assert ["summary: done", "", "1", ""] in rows
    assert ["summary: late", "", "0", ""] in rows


def test_format_csv_in_the_query_works_like_the_accept_header(
    client, course, teacher, school_class, learner
):
    path = f"/api/v1/classes/{school_class['id']}/progress"

    by_query = client.get(f"{path}?format=csv", headers=teacher)
    by_default = client.get(path, headers={**teacher, "Accept": "*/*"})

    assert by_query.mimetype == "text/csv"
    assert by_default.mimetype == "application/json"


def test_csv_for_belgian_excel_uses_semicolons(client, course, teacher, school_class, learner):
    assign(client, teacher, school_class["id"])

    response = client.get(
        f"/api/v1/classes/{school_class['id']}/progress?format=csv&delimiter=semicolon",
        headers=teacher,
    )

    rows = _csv(response, delimiter=";")
    assert rows[1] == ["Amina", "0", "not started", ""]


def test_names_that_look_like_formulas_are_neutralised(
    client, course, teacher, school_class, auth_headers
):
    for name in ('=HYPERLINK("http://evil")', "+32 2 123", "-1+1", "@SUM(A1)", 'Dupont, "Jo"'):
        join(client, auth_headers(display_name=name), school_class["join_code"])

    rows = _csv(
        client.get(f"/api/v1/classes/{school_class['id']}/progress?format=csv", headers=teacher)
    )

    assert sorted(row[0] for row in rows[1:6]) == sorted(
        ['\'=HYPERLINK("http://evil")', "'+32 2 123", "'-1+1", "'@SUM(A1)", 'Dupont, "Jo"']
    )


def _matrix_with(display_name: str, course_title: str) -> dict:
    due = datetime(2031, 5, 1, 21, 59, 59, tzinfo=UTC)
    cell = {"percent": 0, "state": "late", "completed_at": None, "late": True}
    summary = {"learners": 1, "not_started": 0, "in_progress": 0, "done": 0, "late": 1}
    return {
        "assignments": [
            {
                "course_title": course_title,
                "module_title": None,
                "due_at": due,
                "summary": {**summary, "average_percent": 0},
            }
        ],
        "learners": [{"display_name": display_name, "cells": [cell]}],
    }


def test_csv_quotes_commas_quotes_and_newlines():
    body = export.progress_csv(_matrix_with('Jo "the pro", 2nd\nline', 'Energy, heat & "you"'))

    text = body.decode("utf-8-sig")
    assert '"Jo ""the pro"", 2nd\nline"' in text
    assert '"Energy, heat & ""you"" (due 2031-05-01 23:59): percent"' in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1] == ['Jo "the pro", 2nd\nline', "0", "late", ""]
    assert text.endswith("\r\n")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_trigger_is_neutralised(start):
    body = export.progress_csv(_matrix_with(f"{start}cmd|' /C calc'!A0", f"{start}title"))

    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert rows[1][0] == f"'{start}cmd|' /C calc'!A0"
    assert rows[0][1].startswith(f"'{start}title")


def test_cells_are_dumped_as_their_schema_dumps_them_and_documented_as_it(client):
    from learning.classes.schemas import ProgressCellSchema, ProgressLearnerSchema

    cells = [
        {
            "assignment_id": 7,
            "percent": 100,
            "state": "done",
            "completed_at": datetime(2026, 3, 29, 0, 30, 15, 250, tzinfo=UTC),
            "late": True,
        },
        {"assignment_id": 8, "percent": 0, "state": "late", "completed_at": None, "late": True},
    ]

    row = ProgressLearnerSchema().dump({"user_id": 1, "display_name": "Amina", "cells": cells})

    assert row["cells"] == ProgressCellSchema(many=True).dump(cells)
    spec = client.get("/api/openapi.json").json
    learner = spec["components"]["schemas"]["ProgressLearner"]["properties"]["cells"]
    assert learner["items"] == {"$ref": "#/components/schemas/ProgressCell"}


def test_a_matrix_is_kept_for_a_while_but_changes_to_the_class_show_at_once(
    app, client, course, teacher, school_class, learner, auth_headers, count_queries
):
    app.config["CLASS_PROGRESS_CACHE_SECONDS"] = 60
    class_id = school_class["id"]
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        first = assign(client, teacher, class_id, module="module-0", due_at=_days(3))
        with count_queries() as computed:
            before = _matrix(client, teacher, class_id)
        complete(client, learner, "lesson-0-0", "lesson-0-1")
        with count_queries() as reused:
            kept = _matrix(client, teacher, class_id)
        # Learners' progress lags, as the setting says, and the kept answer is the same bytes.
        assert kept == before
        assert _cells(kept) == {"Amina": [("not_started", 0)]}
        assert len(reused) < len(computed)

        clock.shift(61)
        assert _cells(_matrix(client, teacher, class_id)) == {"Amina": [("done", 100)]}

        # A new assignment, a new learner and a renamed learner show at once.
        complete(client, learner, "lesson-1-0")
        second = assign(client, teacher, class_id, due_at=_days(5))
        assert [a["id"] for a in _matrix(client, teacher, class_id)["assignments"]] == [
            first["id"],
            second["id"],
        ]
        assert _cells(_matrix(client, teacher, class_id))["Amina"] == [
            ("done", 100),
            ("in_progress", 60),
        ]
        newcomer = auth_headers(display_name="Bram")
        join(client, newcomer, school_class["join_code"])
        assert set(_cells(_matrix(client, teacher, class_id))) == {"Amina", "Bram"}
        client.patch("/api/v1/me", json={"display_name": "Bruno"}, headers=newcomer)
        assert set(_cells(_matrix(client, teacher, class_id))) == {"Amina", "Bruno"}


def test_a_kept_matrix_turns_cells_late_when_their_due_time_passes(
    app, client, course, teacher, school_class, learner
):
    app.config["CLASS_PROGRESS_CACHE_SECONDS"] = 3600
    class_id = school_class["id"]
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        assignment = assign(client, teacher, class_id, module="module-0")
        due = datetime.now(UTC) + timedelta(minutes=5)
        set_due(app, assignment["id"], due)
        assert _cells(_matrix(client, teacher, class_id)) == {"Amina": [("not_started", 0)]}

        clock.shift(timedelta(minutes=6))
        matrix = _matrix(client, teacher, class_id)

    assert _cells(matrix) == {"Amina": [("late", 0)]}
    assert matrix["assignments"][0]["summary"]["late"] == 1
