"""Quizzes are graded on the server, in the learner's language, within configured limits."""

import uuid

import sqlalchemy as sa

from learning.extensions import db
from learning.progress.models import QuizAttempt
from tests.factories import RIGHT_ANSWERS, import_folder
from tests.progress.conftest import event, write_course

WRONG_ANSWERS = [
    {"question": "single", "answer": "b"},
    {"question": "multiple", "answer": ["a"]},
    {"question": "truth", "answer": False},
    {"question": "number", "answer": 41},
]


def attempt(client, headers, answers, quiz="quiz-1", **body):
    return client.post(
        f"/api/v1/courses/course/quizzes/{quiz}/attempts",
        json={"answers": answers, **body},
        headers=headers,
    )


def test_right_answers_pass_with_feedback_per_question(client, course, learner):
    response = attempt(client, learner, RIGHT_ANSWERS)

    assert response.status_code == 201
    result = response.json
    assert (result["score"], result["passed"], result["pass_mark"]) == (100, True, 75)
    assert [q["correct"] for q in result["questions"]] == [True] * 4
    assert result["questions"][2]["explanation"] == "It is true (en)"


def test_wrong_answers_fail_and_explain_the_chosen_options(client, course, learner):
    result = attempt(client, learner, WRONG_ANSWERS).json

    assert (result["score"], result["passed"]) == (0, False)
    assert result["questions"][0]["explanation"] == "why b (en)"
    assert result["questions"][1]["explanation"] == "why a (en)"


def test_unanswered_questions_count_as_wrong(client, course, learner):
    result = attempt(client, learner, RIGHT_ANSWERS[:3]).json

    assert result["score"] == 75
    assert result["passed"] is True
    assert result["questions"][3]["correct"] is False


def test_numeric_answers_allow_the_tolerance(client, course, learner):
    inside = attempt(client, learner, [{"question": "number", "answer": 42.5}]).json
    outside = attempt(client, learner, [{"question": "number", "answer": 42.6}]).json

    assert inside["questions"][3]["correct"] is True
    assert outside["questions"][3]["correct"] is False


def test_feedback_comes_in_the_learners_language(client, course, auth_headers):
    for language in ("nl", "fr", "en"):
        result = attempt(client, auth_headers(locale=language), WRONG_ANSWERS).json
        assert result["language"] == language
        assert result["questions"][0]["explanation"] == f"why b ({language})"


def test_the_best_score_counts(client, course, learner):
    attempt(client, learner, RIGHT_ANSWERS)

    later = attempt(client, learner, WRONG_ANSWERS).json
    progress = client.get("/api/v1/me/courses/course/progress", headers=learner).json

    assert later["best_score"] == 100
    assert progress["modules"][1]["quiz"]["passed"] is True
    assert progress["modules"][1]["quiz"]["best_score"] == 100


def test_resending_an_attempt_with_its_id_grades_it_once(app, client, course, learner):
    client_id = str(uuid.uuid4())

    first = attempt(client, learner, WRONG_ANSWERS, id=client_id)
    again = attempt(client, learner, RIGHT_ANSWERS, id=client_id)

    assert again.json == first.json
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt)) == 1


def test_answers_that_do_not_fit_are_422(client, course, learner):
    response = attempt(
        client,
        learner,
        [
            {"question": "nope", "answer": "a"},
            {"question": "single", "answer": ["a"]},
            {"question": "truth", "answer": "yes"},
            {"question": "number", "answer": "42"},
            {"question": "multiple", "answer": ["a", "z"]},
        ],
    )

    assert response.status_code == 422
    assert set(response.json["errors"]) == {
        "answers.0.question",
        "answers.1.answer",
        "answers.2.answer",
        "answers.3.answer",
        "answers.4.answer",
    }


def test_a_quiz_in_a_locked_module_is_refused(client, course, learner):
    response = attempt(client, learner, RIGHT_ANSWERS, quiz="quiz-2")

    assert response.status_code == 409


def test_an_unknown_quiz_is_404(client, course, learner):
    assert attempt(client, learner, RIGHT_ANSWERS, quiz="quiz-0").status_code == 404


def test_attempts_can_be_limited(app_factory, make_user, tmp_path):
    app = app_factory(QUIZ_MAX_ATTEMPTS=2)
    import_folder(app, write_course(tmp_path / "c"))
    _, email = make_user()
    client = app.test_client()
    token = client.post(
        "/api/v1/auth/login", json={"email": email, "password": "correct horse battery"}
    ).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}

    statuses = [attempt(client, headers, WRONG_ANSWERS).status_code for _ in range(3)]

    assert statuses == [201, 201, 409]


def test_attempts_can_be_spaced(app_factory, make_user, tmp_path):
    app = app_factory(QUIZ_MIN_SECONDS_BETWEEN_ATTEMPTS=60)
    import_folder(app, write_course(tmp_path / "c"))
    _, email = make_user()
    client = app.test_client()
    token = client.post(
        "/api/v1/auth/login", json={"email": email, "password": "correct horse battery"}
    ).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}

    attempt(client, headers, WRONG_ANSWERS)
    too_soon = attempt(client, headers, WRONG_ANSWERS)

    assert too_soon.status_code == 429
    assert 0 < int(too_soon.headers["Retry-After"]) <= 60


def test_the_answer_key_never_leaves_before_an_attempt(client, course, learner):
    for language in ("nl", "fr", "en"):
        body = client.get(
            f"/api/v1/courses/course/quizzes/quiz-1?lang={language}", headers=learner
        ).get_data(as_text=True)
        assert "correct" not in body
        assert "why a" not in body
        assert "42" not in body


def test_passing_a_quiz_can_complete_a_module(client, course, learner, sync):
    sync(learner, event("lesson-1-0", minutes=1), event("lesson-1-1", minutes=2))

    attempt(client, learner, RIGHT_ANSWERS)

    progress = client.get("/api/v1/me/courses/course/progress", headers=learner).json
    assert progress["modules"][1]["state"] == "completed"
