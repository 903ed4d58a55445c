"""Gamification fixtures: a frozen Brussels clock, people, a course, and a test-local event.

Every test starts on Wednesday 4 March 2026 at 10:00 in Brussels. Besides the real progress
events, the tests send `good_deed`, a signal of their own that the rules pay 10 points (at
most 3 a day), to show the mechanism any domain's event goes through.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from blinker import Namespace

from learning.accounts.models import User
from learning.brussels import TIMEZONE
from learning.circles import services as circles
from learning.db import utcnow
from learning.extensions import db
from learning.gamification import handlers
from learning.gamification.models import LedgerEntry
from tests.factories import RIGHT_ANSWERS, import_folder
from tests.progress.conftest import write_course

T0 = datetime(2026, 3, 4, 10, 0, tzinfo=TIMEZONE)

good_deed = Namespace().signal("good_deed")
GOOD_DEED_RULE = {
    "points": 10,
    "subject": "{deed}",
    "daily_cap": 3,
    "metric": "good_deeds",
    "label": {"nl": "Goede daad", "fr": "Bonne action", "en": "Good deed"},
}


def brussels(*args) -> datetime:
    """A wall-clock time in Brussels: brussels(2026, 3, 29, 0, 30)."""
    return datetime(*args, tzinfo=TIMEZONE)


@pytest.fixture
def app(app):
    """The default rules plus good_deed; tokens outlive the weeks a test travels through."""
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(days=365)
    app.config["POINTS_RULES"] = {"good_deed": GOOD_DEED_RULE}
    handlers.init_app(app)
    handlers.connect(good_deed)
    return app


@pytest.fixture(autouse=True)
def clock():
    """Frozen at T0; move it with clock.move_to(datetime) or clock.shift(timedelta)."""
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    headers: dict


@pytest.fixture
def person(client, auth_headers):
    """A signed-in person: person("Ana", commune="ixelles", visible=True, roles=("admin",))."""

    def make(name="Learner", *, locale="en", commune=None, visible=False, roles=()) -> Person:
        headers = auth_headers(*roles, display_name=name, locale=locale)
        response = client.patch(
            "/api/v1/me",
            json={"commune": commune, "leaderboard_visible": visible},
            headers=headers,
        )
        assert response.status_code == 200, response.json
        return Person(id=response.json["id"], name=name, headers=headers)

    return make


@pytest.fixture
def admin(person) -> Person:
    return person("Admin", roles=("admin",))


@pytest.fixture
def deed(app):
    """Send good_deed for a person in its own transaction, as a domain's service would."""

    def send(who: Person, *, at: datetime | None = None, subject: str | None = None):
        with app.app_context():
            good_deed.send("tests", user_id=who.id, deed=subject or uuid.uuid4().hex, at=at)
            db.session.commit()

    return send


@pytest.fixture
def course(app, tmp_path):
    """module-0: open; module-1: sequential, quiz-1; module-2: needs module-0, quiz-2."""
    return import_folder(app, write_course(tmp_path / "course"))


def completed(lesson: str, at: datetime | None = None, **fields) -> dict:
    """A progress event: the lesson completed at a time (an hour ago by default)."""
    return {
        "id": str(fields.pop("id", uuid.uuid4())),
        "course": "course",
        "lesson": lesson,
        "verb": "completed",
        "at": (at or utcnow() - timedelta(hours=1)).isoformat(),
        **fields,
    }


@pytest.fixture
def sync(client):
    def send(who: Person, *batch):
        response = client.post(
            "/api/v1/progress/events", json={"events": list(batch)}, headers=who.headers
        )
        assert response.status_code == 200, response.json
        return response.json["results"]

    return send


@pytest.fixture
def pass_quiz(client):
    def attempt(who: Person, quiz: str):
        response = client.post(
            f"/api/v1/courses/course/quizzes/{quiz}/attempts",
            json={"answers": RIGHT_ANSWERS},
            headers=who.headers,
        )
        assert response.status_code == 201, response.json
        assert response.json["passed"]

    return attempt


@pytest.fixture
def points(client):
    """GET /api/v1/me/points for a person."""

    def get(who: Person, **query):
        response = client.get("/api/v1/me/points", query_string=query, headers=who.headers)
        assert response.status_code == 200, response.json
        return response.json

    return get


@pytest.fixture
def ledger(app):
    """A person's ledger rows as (rule, subject, points), oldest first."""

    def rows(who: Person, **filters) -> list[tuple]:
        with app.app_context():
            return [
                tuple(row)
                for row in db.session.execute(
                    sa.select(LedgerEntry.rule, LedgerEntry.subject, LedgerEntry.points)
                    .filter_by(user_id=who.id, **filters)
                    .order_by(LedgerEntry.id)
                )
            ]

    return rows


@pytest.fixture
def school_class(client):
    """A class made by a teacher through the API, joined by learners with its code."""

    def make(teacher: Person, *learners: Person, leaderboard: bool = True) -> int:
        made = client.post(
            "/api/v1/classes",
            json={"name": "5B", "school": "Athénée", "commune": "ixelles", "language": "fr"},
            headers=teacher.headers,
        )
        assert made.status_code == 201, made.json
        for learner in learners:
            joined = client.post(
                "/api/v1/classes/join",
                json={"code": made.json["join_code"]},
                headers=learner.headers,
            )
            assert joined.status_code == 200, joined.json
        switched = client.patch(
            f"/api/v1/classes/{made.json['id']}",
            json={"leaderboard_enabled": leaderboard},
            headers=teacher.headers,
        )
        assert switched.status_code == 200, switched.json
        return made.json["id"]

    return make


@pytest.fixture
def circle(app, course):
    """A published learning circle, through the circles service: its facilitator and members."""

    def make(facilitator: Person, *members: Person) -> int:
        with app.app_context():
            proposal = {
                "course": "course",
                "title": "Climat à la bibliothèque",
                "language": "fr",
                "commune": "ixelles",
                "venue": {"name": "Bibliothèque", "address": "Rue Mercelis 19"},
                "capacity": 8,
                "first_meeting": brussels(2026, 3, 17, 19, 0),
                "meetings": 4,
                "duration_minutes": 90,
            }
            leader = db.session.get(User, facilitator.id)
            circle_id = circles.propose_circle(user=leader, proposal=proposal)["id"]
            circles.publish_circle(user=leader, circle_id=circle_id)
            for member in members:
                circles.sign_up(user=db.session.get(User, member.id), circle_id=circle_id)
            return circle_id

    return make
