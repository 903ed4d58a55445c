"""Offline event sync: nothing lost, nothing counted twice, every answer explained."""

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from learning.extensions import db
from learning.progress.models import Enrolment, LessonProgress, ProgressEvent
from tests.progress.conftest import event


def _count(app, model):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_batch_is_accepted_and_enrols_the_learner(app, client, course, learner, sync):
    results = sync(learner, event("lesson-0-0", "started"), event("lesson-0-0", "completed", 5))

    assert [r["status"] for r in results] == ["accepted", "accepted"]
    mine = client.get("/api/v1/me/progress", headers=learner).json["items"]
    assert [(c["course"], c["percent"]) for c in mine] == [("course", 12)]
    assert _count(app, Enrolment) == 1


def test_results_keep_the_order_of_the_batch_and_echo_ids(course, learner, sync):
    batch = [event("lesson-0-1", minutes=9), event("lesson-0-0", minutes=1)]

    results = sync(learner, *batch)

    assert [r["id"] for r in results] == [e["id"] for e in batch]


def test_the_same_batch_twice_gets_the_same_answers_and_changes_nothing(
    app, course, learner, sync, fired
):
    batch = [
        event("lesson-0-0", "completed", 1),
        event("no-such-lesson", "completed", 2),
        event("lesson-0-1", "position", 3, position=0.4),
    ]
    first = sync(learner, *batch)
    counts = (_count(app, ProgressEvent), _count(app, LessonProgress), len(fired))

    second = sync(learner, *batch)

    assert [r["status"] for r in first] == ["accepted", "rejected", "accepted"]
    assert [r["status"] for r in second] == ["duplicate"] * 3
    assert second[1]["reason"] == first[1]["reason"] == "unknown_lesson"
    assert (_count(app, ProgressEvent), _count(app, LessonProgress), len(fired)) == counts


def test_an_id_repeated_inside_a_batch_counts_once(app, course, learner, sync):
    once = event("lesson-0-0", "completed", 1)

    results = sync(learner, once, dict(once))

    assert [r["status"] for r in results] == ["accepted", "duplicate"]
    assert _count(app, ProgressEvent) == 1


def test_a_rejected_event_does_not_sink_the_batch(course, learner, sync):
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    results = sync(
        learner,
        event("lesson-0-0", "completed", 1),
        event("lesson-0-1", "completed", 2, course="no-such-course"),
        {**event("lesson-0-1"), "at": future},
        {**event("lesson-0-1"), "verb": "finished"},
        {"course": "course", "lesson": "lesson-0-1", "verb": "started"},
        "not even an object",
        event("lesson-2-0", "completed", 3),
        event("lesson-0-1", "completed", 4),
    )

    assert [(r["status"], r.get("reason")) for r in results] == [
        ("accepted", None),
        ("rejected", "unknown_course"),
        ("rejected", "future"),
        ("rejected", "malformed: verb"),
        ("rejected", "malformed: at, id"),
        ("rejected", "malformed: not an object"),
        ("rejected", "locked"),
        ("accepted", None),
    ]
    assert results[4]["id"] is None


def test_events_apply_in_client_time_order_whatever_order_they_arrive_in(course, learner, sync):
    # Offline, the learner finished module-0 and then opened module-2, which needs module-0.
    results = sync(
        learner,
        event("lesson-2-0", "completed", 30),
        event("lesson-0-1", "completed", 20),
        event("lesson-0-0", "completed", 10),
    )

    assert [r["status"] for r in results] == ["accepted"] * 3


def test_late_events_never_undo_a_completion(client, course, learner, sync):
    sync(learner, event("lesson-0-0", "completed", 10))
    sync(learner, event("lesson-0-0", "started", 1), event("lesson-0-0", "position", 2, position=3))

    progress = client.get("/api/v1/me/courses/course/progress", headers=learner).json
    lesson = progress["modules"][0]["lessons"][0]
    assert lesson["state"] == "completed"
    assert lesson["completed_at"].startswith("2026-03-02T09:10")


def test_the_resume_position_is_the_latest_by_client_time(client, course, learner, sync):
    sync(
        learner,
        event("lesson-0-1", "position", 30, position=0.8),
        event("lesson-0-1", "position", 10, position=0.2),
    )
    sync(learner, event("lesson-0-1", "position", 20, position=0.5))

    resume = client.get("/api/v1/me/courses/course/progress", headers=learner).json["resume"]
    assert resume == {"module": "module-0", "lesson": "lesson-0-1", "position": 0.8}


def test_the_server_keeps_client_and_server_times(app, course, learner, sync):
    sync(learner, event("lesson-0-0", "completed", 0))

    with app.app_context():
        row = db.session.scalars(sa.select(ProgressEvent)).one()
        assert row.client_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        assert row.received_at > row.client_at


def test_a_sequential_module_opens_lessons_one_after_another(course, learner, sync):
    first = sync(learner, event("lesson-1-1", "completed", 1))
    sync(learner, event("lesson-1-0", "completed", 2))
    second = sync(learner, event("lesson-1-1", "completed", 3))

    assert first[0] == {"id": first[0]["id"], "status": "rejected", "reason": "locked"}
    assert second[0]["status"] == "accepted"


def test_a_batch_over_the_maximum_is_refused_whole(app_factory, make_user):
    app = app_factory(PROGRESS_MAX_BATCH=3)
    _, email = make_user()
    client = app.test_client()
    token = client.post(
        "/api/v1/auth/login", json={"email": email, "password": "correct horse battery"}
    ).json["access_token"]
    batch = [event("lesson-0-0", minutes=n) for n in range(4)]

    response = client.post(
        "/api/v1/progress/events",
        json={"events": batch},
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 422
    assert "events" in response.json["errors"]


def test_sync_needs_a_token_and_a_list(client, learner):
    assert client.post("/api/v1/progress/events", json={"events": []}).status_code == 401
    assert (
        client.post("/api/v1/progress/events", json={"events": {}}, headers=learner).status_code
        == 422
    )


def test_learners_do_not_share_event_ids(course, auth_headers, sync):
    shared = str(uuid.uuid4())

    first = sync(auth_headers(), event("lesson-0-0", id=shared))
    second = sync(auth_headers(), event("lesson-0-0", id=shared))

    assert first[0]["status"] == second[0]["status"] == "accepted"
