"""Retries racing each other make one pledge and fire each event once (PostgreSQL)."""

import threading
import uuid

import pytest
import sqlalchemy as sa

from learning.actions.models import Pledge, PledgeReport
from learning.extensions import db

pytestmark = pytest.mark.postgresql_only


def _race(app, path, body, headers, times=6) -> list[int]:
    barrier = threading.Barrier(times)
    answers = []

    def send():
        client = app.test_client()
        barrier.wait()
        answers.append(client.post(path, json=body, headers=headers).status_code)

    threads = [threading.Thread(target=send) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_one_pledge_sent_from_many_connections_is_recorded_once(app, auth_headers, fired):
    learner = auth_headers()
    body = {"id": str(uuid.uuid4()), "action": "heat-pump"}

    answers = _race(app, "/api/v1/me/pledges", body, learner)

    assert answers == [201] * 6
    assert _count(app, Pledge) == 1
    assert [name for name, _ in fired] == ["action_pledged"]


def test_the_same_action_pledged_at_once_without_ids_is_pledged_once(app, auth_headers):
    learner = auth_headers()

    answers = _race(app, "/api/v1/me/pledges", {"action": "tap-water"}, learner)

    assert sorted(answers) == [201] + [409] * 5
    assert _count(app, Pledge) == 1


def test_done_reported_from_many_connections_fires_once(app, client, auth_headers, fired):
    learner = auth_headers()
    pledge = client.post("/api/v1/me/pledges", json={"action": "heat-pump"}, headers=learner).json

    answers = _race(app, f"/api/v1/me/pledges/{pledge['id']}/reports", {"status": "done"}, learner)

    assert answers == [201] * 6
    assert _count(app, PledgeReport) == 6
    assert [name for name, _ in fired].count("action_reported_done") == 1
