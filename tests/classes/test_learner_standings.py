"""progress_for_learners: the progress service's batched answer that class matrices are built on."""

import pytest

from learning.progress.services import progress_for_learners
from tests.classes.conftest import complete, pass_quiz, start, user_id, write_course
from tests.factories import import_folder


@pytest.fixture
def two_learners(client, auth_headers):
    first, second = auth_headers(), auth_headers()
    return (first, user_id(client, first)), (second, user_id(client, second))


def _standings(app, user_ids, targets):
    with app.app_context():
        return progress_for_learners(user_ids=user_ids, targets=targets)


def test_each_learner_gets_a_standing_per_target(app, client, course, two_learners):
    (first, first_id), (second, second_id) = two_learners
    complete(client, first, "lesson-0-0", "lesson-0-1")
    start(client, second, "lesson-1-0")

    standings = _standings(
        app,
        [first_id, second_id],
        [("course", None), ("course", "module-0"), ("course", "module-1")],
    )

    assert standings[("course", "module-0")][first_id]["state"] == "done"
    assert standings[("course", "module-0")][first_id]["completed_at"] is not None
    assert standings[("course", "module-0")][second_id] == {
        "percent": 0,
        "state": "not_started",
        "completed_at": None,
    }
    assert standings[("course", "module-1")][second_id]["state"] == "in_progress"
    assert standings[("course", None)][first_id] == {
        "percent": 40,
        "state": "in_progress",
        "completed_at": None,
    }


def test_the_course_percent_matches_what_the_learner_sees(app, client, course, two_learners):
    (learner, learner_id), _ = two_learners
    complete(client, learner, "lesson-0-0", "lesson-1-0")
    mine = client.get("/api/v1/me/progress", headers=learner).json["items"][0]

    standing = _standings(app, [learner_id], [("course", None)])[("course", None)][learner_id]

    assert standing["percent"] == mine["percent"] == 40


def test_enrolling_alone_is_not_starting(app, client, course, two_learners):
    (learner, learner_id), _ = two_learners
    client.post("/api/v1/courses/course/enrolment", headers=learner)

    standing = _standings(app, [learner_id], [("course", None)])[("course", None)][learner_id]

    assert standing["state"] == "not_started"


def test_a_completed_course_stays_done_in_a_new_version(
    app, client, course, two_learners, tmp_path
):
    (learner, learner_id), _ = two_learners
    complete(client, learner, "lesson-0-0", "lesson-0-1", "lesson-1-0", "lesson-1-1")
    pass_quiz(client, learner)

    def rewrite(module, lesson, language):
        return "Rewritten." if (module, lesson) == (0, 0) else None

    import_folder(app, write_course(tmp_path / "v2", version="1.1.0", lesson_text=rewrite))
    standings = _standings(app, [learner_id], [("course", None), ("course", "module-0")])

    assert standings[("course", None)][learner_id]["state"] == "done"
    assert standings[("course", "module-0")][learner_id]["state"] == "done"


def test_unknown_courses_and_modules_are_left_out(app, client, course, two_learners):
    (_, learner_id), _ = two_learners

    standings = _standings(
        app, [learner_id], [("course", "module-9"), ("nope", None), ("course", "module-0")]
    )

    assert list(standings) == [("course", "module-0")]


def test_no_targets_no_standings(app, two_learners):
    (_, learner_id), _ = two_learners

    assert _standings(app, [learner_id], []) == {}
