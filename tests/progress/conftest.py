"""Progress fixtures: a published course with a quiz, prerequisites and a sequential module."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from learning import events
from tests.factories import import_folder, write_package

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def write_course(folder, **overrides):
    """module-0: open; module-1: sequential, quiz-1; module-2: needs module-0, quiz-2."""
    shape = {
        "slug": "course",
        "modules": 3,
        "lessons": 2,
        "quizzes": (1, 2),
        "prerequisites": {2: [0]},
        "sequential": (1,),
    }
    return write_package(folder, **{**shape, **overrides})


@pytest.fixture
def course(app, tmp_path):
    return import_folder(app, write_course(tmp_path / "course"))


def event(lesson, verb="completed", minutes=0, course="course", **fields):
    """An offline event `minutes` after T0, with a fresh id unless one is given."""
    return {
        "id": str(fields.pop("id", uuid.uuid4())),
        "course": course,
        "lesson": lesson,
        "verb": verb,
        "at": (T0 + timedelta(minutes=minutes)).isoformat(),
        **fields,
    }


@pytest.fixture
def sync(client):
    def send(headers, *batch):
        response = client.post(
            "/api/v1/progress/events", json={"events": list(batch)}, headers=headers
        )
        assert response.status_code == 200, response.json
        return response.json["results"]

    return send


@pytest.fixture
def learner(auth_headers):
    return auth_headers(locale="en")


@pytest.fixture
def fired():
    """Every domain event progress sends during the test, as (name, kwargs)."""
    seen = []
    signals = [
        events.lesson_completed,
        events.quiz_passed,
        events.module_completed,
        events.course_completed,
    ]
    receivers = []
    for signal in signals:

        def receiver(_sender, _name=signal.name, **kwargs):
            seen.append((_name, kwargs))

        signal.connect(receiver)
        receivers.append((signal, receiver))
    yield seen
    for signal, receiver in receivers:
        signal.disconnect(receiver)
