"""Circle fixtures: a frozen clock to travel with, a published course, people, and helpers that
propose, publish and join circles through the API.

Every test starts on Monday 2 March 2026 at 10:00 in Brussels; the default circle meets on
Tuesdays at 19:00 from 17 March, four times, across the change to summer time on 29 March.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from learning import events
from learning.brussels import TIMEZONE
from learning.extensions import db
from learning.notifications.models import OutboxMessage
from tests.factories import import_folder, write_package
from tests.notifications.smtp import LocalSmtpServer

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=TIMEZONE)
FIRST_MEETING = datetime(2026, 3, 17, 19, 0, tzinfo=TIMEZONE)

IXELLES = {"lat": 50.8275, "lng": 4.3725}
SCHAERBEEK = {"lat": 50.8676, "lng": 4.3735}


@pytest.fixture
def app(app):
    """Access tokens outlive the weeks a test travels through."""
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(days=365)
    return app


@pytest.fixture(autouse=True)
def clock():
    """Frozen at T0; move it with clock.move_to(datetime) or clock.shift(timedelta)."""
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def course(app, tmp_path):
    """A published course, slug `course`: module-0 and module-1, two lessons each."""
    return import_folder(app, write_package(tmp_path / "course", slug="course", lessons=2))


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    email: str
    headers: dict


@pytest.fixture
def person(client, auth_headers):
    """A new signed-in person: person("Ana", locale="nl")."""

    def make(name="Learner", locale="en") -> Person:
        headers = auth_headers(display_name=name, locale=locale)
        me = client.get("/api/v1/me", headers=headers).json
        return Person(id=me["id"], name=name, email=me["email"], headers=headers)

    return make


@pytest.fixture
def facilitator(person) -> Person:
    return person("Fatima", locale="fr")


def proposal(**overrides) -> dict:
    """A valid proposal: a French-speaking circle at a library in Ixelles."""
    body = {
        "course": "course",
        "title": "Climat à la bibliothèque",
        "language": "fr",
        "commune": "ixelles",
        "venue": {"name": "Bibliothèque d'Ixelles", "address": "Rue Mercelis 19", **IXELLES},
        "capacity": 6,
        "first_meeting": FIRST_MEETING.isoformat(),
        "meetings": 4,
        "duration_minutes": 90,
        "timezone": "Europe/Brussels",
    }
    return {**body, **overrides}


@pytest.fixture
def propose(client, course, facilitator):
    """Propose a draft (as the facilitator unless `by` is given); returns its details."""

    def make(by: Person | None = None, **overrides) -> dict:
        headers = (by or facilitator).headers
        response = client.post("/api/v1/circles", json=proposal(**overrides), headers=headers)
        assert response.status_code == 201, response.json
        return response.json

    return make


@pytest.fixture
def published(client, propose, facilitator):
    """Propose and publish a circle; returns its details."""

    def make(by: Person | None = None, **overrides) -> dict:
        draft = propose(by=by, **overrides)
        headers = (by or facilitator).headers
        response = client.post(f"/api/v1/circles/{draft['id']}/publish", headers=headers)
        assert response.status_code == 200, response.json
        return response.json

    return make


@pytest.fixture
def circle(published) -> dict:
    return published()


@pytest.fixture
def join(client):
    def send(circle_id: int, who: Person) -> dict:
        response = client.post(f"/api/v1/circles/{circle_id}/signup", headers=who.headers)
        assert response.status_code == 200, response.json
        return response.json

    return send


@pytest.fixture
def details(client):
    def get(circle_id: int, who: Person | None = None) -> dict:
        headers = who.headers if who else {}
        response = client.get(f"/api/v1/circles/{circle_id}", headers=headers)
        assert response.status_code == 200, response.json
        return response.json

    return get


@pytest.fixture
def attendance(client, facilitator):
    def record(circle_id: int, number: int, *present: Person, by: Person | None = None):
        return client.put(
            f"/api/v1/circles/{circle_id}/meetings/{number}/attendance",
            json={"present": [p.id for p in present]},
            headers=(by or facilitator).headers,
        )

    return record


def meeting_time(number: int) -> datetime:
    """Start of meeting `number` of the default circle (weekly at 19:00 from FIRST_MEETING)."""
    return FIRST_MEETING + timedelta(weeks=number - 1)


@pytest.fixture
def outbox(app):
    """The messages queued so far, oldest first."""

    def messages(**filters) -> list[OutboxMessage]:
        with app.app_context():
            query = sa.select(OutboxMessage).filter_by(**filters).order_by(OutboxMessage.id)
            rows = db.session.scalars(query).all()
            db.session.expunge_all()
            return rows

    return messages


@pytest.fixture
def fired():
    """The circle events sent during the test, as (name, kwargs)."""
    seen = []
    receivers = []
    for signal in (
        events.circle_meeting_attended,
        events.circle_feedback_given,
        events.circle_completed,
    ):

        def receiver(_sender, _name=signal.name, **kwargs):
            seen.append((_name, kwargs))

        signal.connect(receiver)
        receivers.append((signal, receiver))
    yield seen
    for signal, receiver in receivers:
        signal.disconnect(receiver)


@pytest.fixture
def mail(app):
    """A local SMTP server that `flask notify send` delivers to."""
    with LocalSmtpServer() as server:
        app.config.update(server.settings())
        yield server


@pytest.fixture
def notify_send(app):
    """Run `flask --app learning notify send` and return its output."""

    def run() -> str:
        result = app.test_cli_runner().invoke(args=["notify", "send"])
        assert result.exit_code == 0, result.output
        return result.output

    return run
