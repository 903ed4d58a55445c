"""The same batch sent from several connections at once is recorded once (PostgreSQL)."""

import threading

import pytest
import sqlalchemy as sa

from learning.extensions import db
from learning.progress.models import LessonProgress, ProgressEvent
from tests.progress.conftest import event

pytestmark = pytest.mark.postgresql_only


def test_one_batch_from_many_threads_is_recorded_once(app, course, learner, fired):
    batch = [event(f"lesson-0-{n}", minutes=n) for n in range(2)] + [event("lesson-1-0", minutes=3)]
    barrier = threading.Barrier(6)
    answers = []

    def send():
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/v1/progress/events", json={"events": batch}, headers=learner)
        answers.append(response.status_code)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [200] * 6
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgressEvent)) == 3
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress)) == 3
    names = [name for name, _ in fired]
    assert names.count("lesson_completed") == 3
    assert names.count("module_completed") == 1
