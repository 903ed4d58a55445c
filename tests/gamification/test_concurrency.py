"""The same awards sent from several connections at once pay once (PostgreSQL)."""

import threading

import pytest
import sqlalchemy as sa

from learning.extensions import db
from learning.gamification.models import LedgerEntry, PointsTotal
from tests.gamification.conftest import T0, completed

pytestmark = pytest.mark.postgresql_only

THREADS = 6


def at_once(app, requests):
    """Send (path, body, headers) requests from one thread each, released together."""
    barrier = threading.Barrier(len(requests))
    statuses = []

    def send(path, body, headers):
        client = app.test_client()
        barrier.wait()
        statuses.append(client.post(path, json=body, headers=headers).status_code)

    threads = [threading.Thread(target=send, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_one_batch_sent_from_many_connections_pays_once(app, course, person, points):
    ana = person("Ana")
    batch = {"events": [completed("lesson-0-0"), completed("lesson-0-1")]}

    statuses = at_once(app, [("/api/v1/progress/events", batch, ana.headers)] * THREADS)

    assert statuses == [200] * THREADS
    with app.app_context():
        subjects = db.session.scalars(sa.select(LedgerEntry.subject).order_by(LedgerEntry.id))
        assert list(subjects) == ["course/lesson-0-0", "course/lesson-0-1", "course/module-0"]
        totals = db.session.scalars(sa.select(PointsTotal.points)).all()
        assert totals == [50, 50, 50]
    assert points(ana)["total"] == 50


def test_a_challenge_met_by_many_at_once_pays_each_contributor_once(
    app, client, course, person, admin
):
    learners = [person(f"Learner {n}", commune="ixelles") for n in range(THREADS)]
    made = client.post(
        "/api/v1/challenges",
        json={
            "scope": "commune:ixelles",
            "title": "A lesson each",
            "metric": "lessons_completed",
            "target": THREADS - 1,
            "ends_at": "2026-04-01T00:00:00+02:00",
        },
        headers=admin.headers,
    )
    assert made.status_code == 201, made.json

    statuses = at_once(
        app,
        [
            ("/api/v1/progress/events", {"events": [completed("lesson-0-0", at=T0)]}, who.headers)
            for who in learners
        ],
    )

    assert statuses == [200] * THREADS
    with app.app_context():
        paid = db.session.scalars(
            sa.select(LedgerEntry.user_id).where(LedgerEntry.rule == "challenge_met")
        ).all()
        assert sorted(paid) == sorted(who.id for who in learners)
