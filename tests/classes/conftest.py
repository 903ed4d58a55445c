"""Classes fixtures: a published course, a teacher with a class, learners who joined it."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from learning.classes.models import Assignment, SchoolClass
from learning.extensions import db
from tests.factories import RIGHT_ANSWERS, import_folder, write_package


def write_course(folder, **overrides):
    """module-0: lesson-0-0, lesson-0-1; module-1: lesson-1-0, lesson-1-1 and quiz-1."""
    shape = {"slug": "course", "modules": 2, "lessons": 2, "quizzes": (1,)}
    return write_package(folder, **{**shape, **overrides})


@pytest.fixture
def course(app, tmp_path):
    return import_folder(app, write_course(tmp_path / "course"))


def in_days(days: float) -> str:
    """A time `days` from now, as an ISO string with an offset."""
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def create_class(client, headers, **fields):
    body = {
        "name": "5B",
        "school": "Athénée Royal d'Ixelles",
        "commune": "ixelles",
        "language": "fr",
        **fields,
    }
    response = client.post("/api/v1/classes", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def join(client, headers, code):
    response = client.post("/api/v1/classes/join", json={"code": code}, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def assign(client, headers, class_id, **fields):
    body = {"course": "course", "due_at": in_days(7), **fields}
    response = client.post(f"/api/v1/classes/{class_id}/assignments", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def complete(client, headers, *lessons, course="course", at=None):
    """Record lessons as completed, at a time in the past unless told."""
    at = at or datetime.now(UTC) - timedelta(hours=1)
    events = [
        {
            "id": str(uuid.uuid4()),
            "course": course,
            "lesson": lesson,
            "verb": "completed",
            "at": at.isoformat(),
        }
        for lesson in lessons
    ]
    response = client.post("/api/v1/progress/events", json={"events": events}, headers=headers)
    assert response.status_code == 200, response.json
    assert {result["status"] for result in response.json["results"]} == {"accepted"}


def start(client, headers, lesson, course="course"):
    event = {
        "id": str(uuid.uuid4()),
        "course": course,
        "lesson": lesson,
        "verb": "started",
        "at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
    }
    response = client.post("/api/v1/progress/events", json={"events": [event]}, headers=headers)
    assert response.json["results"][0]["status"] == "accepted"


def pass_quiz(client, headers, quiz="quiz-1", course="course"):
    response = client.post(
        f"/api/v1/courses/{course}/quizzes/{quiz}/attempts",
        json={"answers": RIGHT_ANSWERS},
        headers=headers,
    )
    assert response.status_code == 201, response.json
    assert response.json["passed"] is True


def set_due(app, assignment_id, when: datetime):
    """Move a due time into the past, which the API refuses to do."""
    with app.app_context():
        db.session.get(Assignment, assignment_id).due_at = when
        db.session.commit()


def expire_code(app, class_id):
    with app.app_context():
        klass = db.session.get(SchoolClass, class_id)
        klass.join_code_expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()


def user_id(client, headers) -> int:
    return client.get("/api/v1/me", headers=headers).json["id"]


@pytest.fixture
def teacher(auth_headers):
    return auth_headers("teacher", display_name="Ms Peeters")


@pytest.fixture
def school_class(client, teacher):
    return create_class(client, teacher)


@pytest.fixture
def learner(client, auth_headers, school_class):
    """A learner who joined the class."""
    headers = auth_headers(display_name="Amina")
    join(client, headers, school_class["join_code"])
    return headers
