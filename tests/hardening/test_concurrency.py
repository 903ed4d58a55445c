"""Many clients doing the same thing at the same moment: nothing doubled, nothing lost, every
capacity kept (PostgreSQL, where requests really run side by side).

Each test releases eight threads together, each with its own test client and so its own
session and connection, as eight gunicorn workers would be.

Races the domain suites already cover, not repeated here:
- the last seats of a circle: tests/circles/test_concurrency.py (eight racers for the last
  two seats: the capacity holds, the rest are waitlisted in order);
- the same badge from one batch sent by many clients, or one event in concurrent
  transactions: tests/badges/test_concurrency.py;
- a pledge retried from many connections: tests/actions/test_concurrency.py;
- joining a class from many devices: tests/classes/test_concurrency.py;
- approving one certification twice: tests/certification/test_concurrency.py.
"""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from learning import events
from learning.badges.models import BadgeAssertion
from learning.extensions import db
from learning.gamification.models import LedgerEntry, PointsTotal
from learning.progress.models import (
    Enrolment,
    LessonProgress,
    ModuleCompletion,
    ProgressEvent,
    QuizAttempt,
)
from tests.factories import RIGHT_ANSWERS, import_folder, write_package
from tests.progress.conftest import write_course

pytestmark = pytest.mark.postgresql_only

RACERS = 8


def at_once(app, requests: list[tuple[str, dict, dict]]) -> list[tuple[int, dict]]:
    """POST each (path, body, headers) from its own thread, all released by one barrier;
    the answers as (status, body), in the order of the requests."""
    barrier = threading.Barrier(len(requests))
    answers: list = [None] * len(requests)

    def send(index, path, body, headers):
        client = app.test_client()
        barrier.wait()
        response = client.post(path, json=body, headers=headers)
        answers[index] = (response.status_code, response.json)

    threads = [
        threading.Thread(target=send, args=(index, *request))
        for index, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def count(app, model, *conditions) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions))


def completion(lesson: str, *, course: str, at: datetime) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "course": course,
        "lesson": lesson,
        "verb": "completed",
        "at": at.isoformat(),
    }


def test_one_sync_batch_from_many_clients_accepts_each_event_once(
    app, client, auth_headers, tmp_path
):
    """Every answer is 200, each event is accepted in exactly one of them and a duplicate in
    the others, and what the batch earns (progress, completions, points, a badge) is written
    once."""
    import_folder(app, write_package(tmp_path / "course", slug="course", modules=2, lessons=2))
    learner = auth_headers()
    now = datetime.now(UTC)
    batch = [
        completion(f"lesson-{m}-{n}", course="course", at=now) for m in range(2) for n in range(2)
    ]

    answers = at_once(app, [("/api/v1/progress/events", {"events": batch}, learner)] * RACERS)

    assert [status for status, _ in answers] == [200] * RACERS
    seen = {event["id"]: [] for event in batch}
    for _, body in answers:
        for result in body["results"]:
            seen[result["id"]].append(result["status"])
    assert all(
        sorted(statuses) == ["accepted"] + ["duplicate"] * (RACERS - 1)
        for statuses in seen.values()
    ), seen
    assert count(app, ProgressEvent) == 4
    assert count(app, LessonProgress) == 4
    assert count(app, ModuleCompletion) == 2
    assert count(app, Enrolment, Enrolment.completed_at.is_not(None)) == 1
    with app.app_context():
        ledger = db.session.execute(sa.select(LedgerEntry.rule, LedgerEntry.points)).all()
        totals = db.session.scalars(sa.select(PointsTotal.points)).all()
        badges = db.session.scalars(sa.select(BadgeAssertion.badge_slug)).all()
    assert (
        sorted(rule for rule, _ in ledger)
        == ["course_completed"] + ["lesson_completed"] * 4 + ["module_completed"] * 2
    )
    earned = sum(points for _, points in ledger)
    assert totals == [earned] * 3
    assert client.get("/api/v1/me/points", headers=learner).json["total"] == earned
    assert badges == ["course-completed"]


def test_attempts_racing_past_the_limit_record_no_more_than_the_limit(app, auth_headers, tmp_path):
    """Two attempts left and eight sent at once: two are graded, six are refused, and the
    quiz is passed (and paid) once."""
    app.config["QUIZ_MAX_ATTEMPTS"] = 3
    import_folder(app, write_course(tmp_path / "course"))
    learner = auth_headers()
    path = "/api/v1/courses/course/quizzes/quiz-1/attempts"
    wrong = [{"question": "single", "answer": "b"}]
    assert app.test_client().post(path, json={"answers": wrong}, headers=learner).status_code == 201

    answers = at_once(app, [(path, {"answers": RIGHT_ANSWERS}, learner)] * RACERS)

    assert sorted(status for status, _ in answers) == [201] * 2 + [409] * (RACERS - 2)
    assert count(app, QuizAttempt) == 3
    assert count(app, LedgerEntry, LedgerEntry.rule == "quiz_passed") == 1


def test_the_last_attempt_sent_from_many_clients_with_its_id_is_graded_once(
    app, auth_headers, tmp_path
):
    """An app retrying the learner's last allowed attempt on every connection it has: one
    attempt is recorded, and every answer is its grading, not a refusal for the limit."""
    app.config["QUIZ_MAX_ATTEMPTS"] = 2
    import_folder(app, write_course(tmp_path / "course"))
    learner = auth_headers()
    path = "/api/v1/courses/course/quizzes/quiz-1/attempts"
    wrong = [{"question": "single", "answer": "b"}]
    assert app.test_client().post(path, json={"answers": wrong}, headers=learner).status_code == 201
    last = {"id": str(uuid.uuid4()), "answers": RIGHT_ANSWERS}

    answers = at_once(app, [(path, last, learner)] * RACERS)

    assert [status for status, _ in answers] == [201] * RACERS
    assert {(body["score"], body["passed"]) for _, body in answers} == {(100, True)}
    assert count(app, QuizAttempt) == 2
    assert count(app, QuizAttempt, QuizAttempt.client_id == last["id"]) == 1


@pytest.fixture
def challenge_met():
    """The user ids challenge_met is announced for, in order."""
    announced = []

    def listen(_sender, *, user_id, **_arguments):
        announced.append(user_id)

    events.challenge_met.connect(listen)
    yield announced
    events.challenge_met.disconnect(listen)


def test_a_challenge_crossed_by_many_at_once_is_met_once_and_pays_each_once(
    app, client, auth_headers, tmp_path, challenge_met
):
    """Eight learners of a commune complete a lesson at the same moment, three more than the
    goal needs: the challenge is met once, and each of them (those who crossed it and those
    who came after) is paid once, announced once and holds the team badge once."""
    import_folder(app, write_package(tmp_path / "course", slug="course", modules=1, lessons=2))
    admin = auth_headers("admin")
    learners = []
    for _ in range(RACERS):
        headers = auth_headers()
        me = client.patch("/api/v1/me", json={"commune": "ixelles"}, headers=headers).json
        learners.append((me["id"], headers))
    made = client.post(
        "/api/v1/challenges",
        json={
            "scope": "commune:ixelles",
            "title": "A lesson each",
            "metric": "lessons_completed",
            "target": RACERS - 3,
            "ends_at": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
        },
        headers=admin,
    )
    assert made.status_code == 201, made.json
    now = datetime.now(UTC)

    answers = at_once(
        app,
        [
            (
                "/api/v1/progress/events",
                {"events": [completion("lesson-0-0", course="course", at=now)]},
                headers,
            )
            for _, headers in learners
        ],
    )

    assert [status for status, _ in answers] == [200] * RACERS
    everyone = sorted(user_id for user_id, _ in learners)
    with app.app_context():
        paid = db.session.scalars(
            sa.select(LedgerEntry.user_id).where(LedgerEntry.rule == "challenge_met")
        ).all()
        team_badges = db.session.scalars(
            sa.select(BadgeAssertion.user_id).where(BadgeAssertion.badge_slug == "team-player")
        ).all()
    assert sorted(paid) == everyone
    assert sorted(challenge_met) == everyone
    assert sorted(team_badges) == everyone
    seen = client.get(f"/api/v1/challenges/{made.json['id']}", headers=admin).json
    assert (seen["status"], seen["progress"], seen["contributors"]) == ("met", RACERS, RACERS)
    assert seen["met_at"] is not None
