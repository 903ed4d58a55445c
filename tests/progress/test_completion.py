"""Completion cascades from lessons and quizzes to modules and the course; events fire once."""

from tests.factories import RIGHT_ANSWERS
from tests.progress.conftest import event


def _pass_quiz(client, headers, quiz):
    response = client.post(
        f"/api/v1/courses/course/quizzes/{quiz}/attempts",
        json={"answers": RIGHT_ANSWERS},
        headers=headers,
    )
    assert response.status_code == 201, response.json
    return response.json


def test_completion_cascades_to_the_module_and_the_course(client, course, learner, sync, fired):
    sync(learner, event("lesson-0-0", minutes=1), event("lesson-0-1", minutes=2))
    sync(learner, event("lesson-1-0", minutes=3), event("lesson-1-1", minutes=4))
    _pass_quiz(client, learner, "quiz-1")
    sync(learner, event("lesson-2-0", minutes=5), event("lesson-2-1", minutes=6))
    assert (
        client.get("/api/v1/me/progress", headers=learner).json["items"][0]["completed_at"] is None
    )

    _pass_quiz(client, learner, "quiz-2")

    names = [name for name, _ in fired]
    assert names.count("lesson_completed") == 6
    assert names.count("quiz_passed") == 2
    assert [kw["module"] for name, kw in fired if name == "module_completed"] == [
        "module-0",
        "module-1",
        "module-2",
    ]
    assert names.count("course_completed") == 1
    assert names[-1] == "course_completed"
    mine = client.get("/api/v1/me/progress", headers=learner).json["items"][0]
    assert mine["percent"] == 100
    assert mine["completed_at"]
    assert mine["resume"] is None


def test_a_module_with_a_quiz_waits_for_the_quiz(client, course, learner, sync, fired):
    sync(learner, event("lesson-1-0", minutes=1), event("lesson-1-1", minutes=2))

    progress = client.get("/api/v1/me/courses/course/progress", headers=learner).json

    assert progress["modules"][1]["state"] == "started"
    assert "module_completed" not in [name for name, _ in fired]


def test_each_event_fires_once_however_often_it_is_resent(client, course, learner, sync, fired):
    batch = [event("lesson-0-0", minutes=1), event("lesson-0-1", minutes=2)]
    sync(learner, *batch)
    sync(learner, *batch)
    sync(learner, event("lesson-0-0", minutes=9))
    _pass_quiz(client, learner, "quiz-1")
    _pass_quiz(client, learner, "quiz-1")

    names = [name for name, _ in fired]
    assert names.count("lesson_completed") == 2
    assert names.count("module_completed") == 1
    assert names.count("quiz_passed") == 1


def test_events_carry_who_and_what(course, learner, sync, fired, client):
    sync(learner, event("lesson-0-0", minutes=1))

    (name, kwargs), *_ = fired
    assert name == "lesson_completed"
    assert kwargs["course"] == "course"
    assert kwargs["module"] == "module-0"
    assert kwargs["lesson"] == "lesson-0-0"
    assert kwargs["version"] == "1.0.0"
    me = client.get("/api/v1/me", headers=learner).json
    assert kwargs["user_id"] == me["id"]


def test_the_signed_in_outline_shows_my_states_and_locks(client, course, learner, sync):
    before = client.get("/api/v1/courses/course", headers=learner).json
    sync(learner, event("lesson-0-0", minutes=1), event("lesson-0-1", "started", minutes=2))
    sync(learner, event("lesson-0-1", minutes=3))
    after = client.get("/api/v1/courses/course", headers=learner).json

    assert before["modules"][2]["locked"] is True
    assert [lesson["state"] for lesson in before["modules"][1]["lessons"]] == [
        "not_started",
        "locked",
    ]
    assert after["modules"][2]["locked"] is False
    assert [lesson["state"] for lesson in after["modules"][0]["lessons"]] == [
        "completed",
        "completed",
    ]


def test_my_course_progress_shows_modules_lessons_and_quiz_scores(client, course, learner, sync):
    sync(learner, event("lesson-0-0", minutes=1))
    client.post(
        "/api/v1/courses/course/quizzes/quiz-1/attempts",
        json={"answers": RIGHT_ANSWERS[:2]},
        headers=learner,
    )

    progress = client.get("/api/v1/me/courses/course/progress", headers=learner).json

    assert progress["enrolled"] is True
    assert [m["state"] for m in progress["modules"]] == ["started", "started", "locked"]
    assert progress["modules"][1]["quiz"] == {
        "slug": "quiz-1",
        "passed": False,
        "best_score": 50,
        "attempts": 1,
        "pass_mark": 75,
    }
    assert progress["resume"]["lesson"] == "lesson-0-1"


def test_explicit_enrolment_is_idempotent(client, course, learner):
    first = client.post("/api/v1/courses/course/enrolment", headers=learner)
    second = client.post("/api/v1/courses/course/enrolment", headers=learner)

    assert first.status_code == second.status_code == 200
    assert first.json == second.json
    assert first.json["version"] == "1.0.0"
    assert client.get("/api/v1/me/progress", headers=learner).json["items"][0]["percent"] == 0


def test_enrolling_in_an_unknown_course_is_404(client, learner):
    assert client.post("/api/v1/courses/nope/enrolment", headers=learner).status_code == 404


def test_progress_reads_cost_the_same_queries_whatever_the_course_size(
    app, client, tmp_path, auth_headers, count_queries
):
    from tests.factories import import_folder, write_package

    import_folder(app, write_package(tmp_path / "s", slug="small", modules=1, lessons=1))
    import_folder(
        app, write_package(tmp_path / "b", slug="big", modules=6, lessons=8, quizzes=(1, 2))
    )
    headers = auth_headers()
    for slug in ("small", "big"):
        client.post(f"/api/v1/courses/{slug}/enrolment", headers=headers)

    costs = {}
    for slug in ("small", "big"):
        with count_queries() as outline:
            client.get(f"/api/v1/courses/{slug}", headers=headers)
        with count_queries() as progress:
            client.get(f"/api/v1/me/courses/{slug}/progress", headers=headers)
        costs[slug] = (len(outline), len(progress))

    assert costs["small"] == costs["big"]
