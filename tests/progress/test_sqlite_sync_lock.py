"""Syncs of one learner sent at the same moment are recorded once each on SQLite too.

SQLite ignores SELECT ... FOR UPDATE, and its only lock is the whole database's. A sync there
reads the learner's progress revision, reads and applies its events, and raises the revision
only if it is unchanged (learning/progress/services.py, _claim_learner); when another write
of the learner came first, it is rolled back and run again under the database's write lock.
Without that, two workers syncing the same learner and lesson at once both found the lesson
untouched and both inserted it, and one answered 500 (bench/results/README.md). The
PostgreSQL row lock is tested by tests/progress/test_concurrency.py.

The racers need a database file of their own: an in-memory SQLite database is not shared
between connections, and each racer's test client has its own session and connection.
"""

import threading
from collections import Counter

import pytest
import sqlalchemy as sa
from flask_migrate import stamp

from learning.accounts import services as accounts
from learning.extensions import db
from learning.progress.models import ACCEPTED, LessonProgress, ProgressEvent
from tests.conftest import PASSWORD
from tests.factories import import_folder, write_package
from tests.progress.conftest import event

pytestmark = pytest.mark.skipif(
    "config.getoption('--db') != 'sqlite'",
    reason="SQLite's optimistic sync (PostgreSQL's row lock: tests/progress/test_concurrency.py)",
)

RACERS = 8
ROUNDS = 5
SYNC = "/api/v1/progress/events"


@pytest.fixture
def sqlite_file_app(app_factory, tmp_path):
    """An app on a SQLite file of its own, built as the session's database is: from the
    models, stamped at the migrations' head."""
    app = app_factory(f"sqlite:///{tmp_path / 'carbonlit.sqlite3'}")
    with app.app_context():
        db.create_all()
        stamp()
    return app


@pytest.fixture
def learner_headers(sqlite_file_app):
    email = "racer@example.org"
    with sqlite_file_app.app_context():
        accounts.create_user(email=email, password=PASSWORD, display_name="Racer", locale="en")
    response = sqlite_file_app.test_client().post(
        "/api/v1/auth/login", json={"email": email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def sync_at_once(app, headers, batches: list[list[dict]]) -> list[tuple[int, dict]]:
    """POST each batch from its own thread and test client, all released by one barrier;
    the answers as (status, body), in the order of the batches."""
    barrier = threading.Barrier(len(batches))
    answers: list = [None] * len(batches)

    def send(index, batch):
        client = app.test_client()
        barrier.wait()
        response = client.post(SYNC, json={"events": batch}, headers=headers)
        answers[index] = (response.status_code, response.json)

    racers = [threading.Thread(target=send, args=item) for item in enumerate(batches)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    return answers


def test_the_same_lesson_synced_by_many_workers_at_once_is_recorded_once(
    sqlite_file_app, learner_headers, tmp_path
):
    lessons = [f"lesson-0-{n}" for n in range(ROUNDS)]
    import_folder(
        sqlite_file_app,
        write_package(tmp_path / "course", slug="course", modules=1, lessons=ROUNDS),
    )
    statuses = {}
    sent_ids = []
    for lesson in lessons:
        batches = [
            [event(lesson, "started", 0), event(lesson, "completed", 1)] for _ in range(RACERS)
        ]
        answers = sync_at_once(sqlite_file_app, learner_headers, batches)
        statuses[lesson] = [status for status, _ in answers]
        for status, body in answers:
            if status == 200:
                assert {result["status"] for result in body["results"]} == {ACCEPTED}
        sent_ids += [sent["id"] for batch in batches for sent in batch]

    assert statuses == {lesson: [200] * RACERS for lesson in lessons}
    with sqlite_file_app.app_context():
        progress_rows = Counter(db.session.scalars(sa.select(LessonProgress.lesson_slug)))
        recorded_ids = db.session.scalars(sa.select(ProgressEvent.event_id)).all()
    assert progress_rows == Counter(lessons)
    assert sorted(recorded_ids) == sorted(sent_ids)
