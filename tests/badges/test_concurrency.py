"""A learner gets each badge once, also when the same event comes from several connections at
once (PostgreSQL)."""

import threading

import pytest
import sqlalchemy as sa

from learning import events
from learning.badges.models import BadgeAssertion
from learning.extensions import db
from tests.badges.conftest import completion, days_ago

pytestmark = pytest.mark.postgresql_only

THREADS = 6


def at_once(target, threads: int = THREADS) -> None:
    barrier = threading.Barrier(threads)

    def run():
        barrier.wait()
        target()

    started = [threading.Thread(target=run) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()


def assertions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(BadgeAssertion.badge_slug)))


def test_one_sync_batch_from_many_clients_awards_once(app, course, platform_badges, learner):
    batch = [completion(f"lesson-{m}-0") for m in range(3)]
    answers = []

    def send():
        response = app.test_client().post(
            "/api/v1/progress/events", json={"events": batch}, headers=learner.headers
        )
        answers.append(response.status_code)

    at_once(send)

    assert answers == [200] * THREADS
    awarded = assertions(app)
    assert {"any-finisher", "finisher", "first-two-modules"} <= set(awarded)
    assert len(awarded) == len(set(awarded))


def test_the_same_event_in_concurrent_transactions_awards_once(app, platform_badges, learner):
    announced = []

    def listen(_sender, **arguments):
        announced.append(arguments["badge"])

    def fire():
        with app.app_context():
            events.course_completed.send(
                "tests", user_id=learner.id, course="generated", version="1.0.0", at=days_ago(0)
            )
            db.session.commit()

    events.badge_awarded.connect(listen)
    try:
        at_once(fire)
    finally:
        events.badge_awarded.disconnect(listen)

    awarded = assertions(app)
    assert {"any-finisher", "finisher"} <= set(awarded)
    assert len(awarded) == len(set(awarded))
    assert sorted(announced) == sorted(awarded)


def test_concurrent_meetings_are_all_counted(app, platform_badges, person):
    """Two meetings recorded at the same moment still make two, so the badge for two is
    earned: neither transaction counts without the other."""
    learner = person()

    def attend(meeting):
        with app.app_context():
            events.circle_meeting_attended.send(
                "tests",
                user_id=learner.id,
                circle_id=1,
                course="generated",
                meeting=meeting,
                at=days_ago(1),
            )
            db.session.commit()

    meetings = iter(range(2))
    lock = threading.Lock()

    def next_meeting():
        with lock:
            meeting = next(meetings)
        attend(meeting)

    at_once(next_meeting, threads=2)

    assert assertions(app) == ["two-meetings"]
