"""Badges fixtures: a small course, learners with their ids, test platform badges, events."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import yaml

from learning.badges import catalogue, definitions, services
from learning.extensions import db
from tests.factories import import_folder, language_map, write_package

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PROMPTS = ("what-changed", "who-will-you-tell")


def write_course(folder, *, slug="generated", certifiable=False, **overrides):
    """Three modules of one lesson each (lesson-0-0, lesson-1-0, lesson-2-0); a certifiable
    course also asks two reflection prompts."""
    write_package(folder, slug=slug, modules=3, lessons=1, **overrides)
    course_file = folder / "course.yaml"
    course = yaml.safe_load(course_file.read_text(encoding="utf-8"))
    if certifiable:
        course["certifiable"] = True
        course["reflection_prompts"] = [
            {"id": prompt, "text": language_map(f"Question {prompt}")} for prompt in PROMPTS
        ]
    course_file.write_text(yaml.safe_dump(course), encoding="utf-8")
    return folder


@pytest.fixture
def course(app, tmp_path):
    return import_folder(app, write_course(tmp_path / "generated"))


@dataclass
class Person:
    id: int
    email: str
    headers: dict


@pytest.fixture
def person(make_user, login):
    """Make a signed-in user: person(roles=..., locale=..., display_name=...)."""

    def make(*roles, **fields):
        user_id, email = make_user(roles=roles, **fields)
        return Person(user_id, email, {"Authorization": f"Bearer {login(email)['access_token']}"})

    return make


@pytest.fixture
def learner(person):
    return person(locale="en", display_name="Amina Benali")


def completion(lesson: str, *, course="generated", at: datetime = T0, event_id=None) -> dict:
    return {
        "id": str(event_id or uuid.uuid4()),
        "course": course,
        "lesson": lesson,
        "verb": "completed",
        "at": at.isoformat(),
    }


@pytest.fixture
def sync(client):
    def send(headers, *batch):
        response = client.post(
            "/api/v1/progress/events", json={"events": list(batch)}, headers=headers
        )
        assert response.status_code == 200, response.json
        assert {result["status"] for result in response.json["results"]} <= {
            "accepted",
            "duplicate",
        }, response.json
        return response.json["results"]

    return send


@pytest.fixture
def complete_course(sync):
    """Complete every lesson of a generated course, as a learner's app would sync them."""

    def complete(headers, course="generated", at: datetime = T0):
        sync(headers, *(completion(f"lesson-{m}-0", course=course, at=at) for m in range(3)))

    return complete


def badge_definition(slug: str, rule: dict, **fields) -> dict:
    return {
        "slug": slug,
        "name": language_map(f"Badge {slug}"),
        "description": language_map(f"What {slug} means"),
        "criteria": language_map(f"How to earn {slug}"),
        "colour": "#1b5e20",
        "icon": "star",
        "rule": rule,
        **fields,
    }


TEST_BADGES = [
    badge_definition("carbon-literate", {"type": "certification_approved"}),
    badge_definition("finisher", {"type": "course_completed", "course": "generated"}),
    badge_definition("any-finisher", {"type": "course_completed"}),
    badge_definition(
        "first-two-modules",
        {"type": "modules_completed", "course": "generated", "modules": ["module-0", "module-1"]},
    ),
    badge_definition("two-meetings", {"type": "circle_meetings_attended", "count": 2}),
    badge_definition("facilitator", {"type": "circle_facilitated"}),
    badge_definition("sprout", {"type": "points_level", "threshold": 100}),
    badge_definition("two-weeks", {"type": "weekly_streak", "weeks": 2}),
    badge_definition("team", {"type": "challenge_met"}),
    badge_definition("two-pledges", {"type": "pledges_done", "count": 2}),
]


@pytest.fixture
def platform_badges(monkeypatch, tmp_path):
    """Replace the shipped badges with TEST_BADGES, read and checked from a file."""
    path = tmp_path / "badges.yaml"
    path.write_text(yaml.safe_dump({"badges": TEST_BADGES}), encoding="utf-8")
    badges = definitions.load_platform_badges(path)
    monkeypatch.setattr(catalogue, "load_platform_badges", lambda: badges)
    monkeypatch.setattr(services, "load_platform_badges", lambda: badges)
    return badges


def fire(app, signal, **arguments):
    """Send a domain event in a transaction of its own, as the domain that owns it would."""
    with app.app_context():
        signal.send("tests", **arguments)
        db.session.commit()


def held(client, person) -> list[str]:
    """The slugs of the badges a person holds, newest first."""
    response = client.get("/api/v1/me/badges?per_page=100", headers=person.headers)
    assert response.status_code == 200, response.json
    return [item["badge"]["slug"] for item in response.json["items"]]


def award_of(client, person, slug: str) -> dict:
    response = client.get("/api/v1/me/badges?per_page=100", headers=person.headers)
    return next(item for item in response.json["items"] if item["badge"]["slug"] == slug)


def days_ago(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)
