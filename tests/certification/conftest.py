"""Certification fixtures: a certifiable course, a learner who completed it, an assessor."""

from datetime import UTC, datetime, timedelta

import pytest

from learning.actions.catalogue import load_catalogue
from tests.badges.conftest import (
    PROMPTS,
    complete_course,
    course,
    learner,
    person,
    sync,
    write_course,
)
from tests.factories import import_folder

__all__ = ["complete_course", "course", "learner", "person", "sync"]


@pytest.fixture
def certifiable(app, tmp_path):
    return import_folder(
        app, write_course(tmp_path / "certifiable", slug="certifiable", certifiable=True)
    )


@pytest.fixture
def graduate(learner, certifiable, complete_course):
    """A learner who completed the certifiable course."""
    complete_course(learner.headers, course="certifiable")
    return learner


@pytest.fixture
def assessor(person):
    return person("assessor", locale="en")


def in_days(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).date().isoformat()


def catalogue_action(kind: str) -> str:
    return next(slug for slug, action in load_catalogue().actions.items() if action["kind"] == kind)


def submission(**overrides) -> dict:
    """A complete request: answers to both prompts, a catalogue personal action and an own
    action with others."""
    body = {
        "course": "certifiable",
        "reflections": {prompt: f"My answer to {prompt}." for prompt in PROMPTS},
        "actions": [
            {
                "kind": "personal",
                "action": catalogue_action("personal"),
                "description": "Cycle to work three days a week.",
                "by": in_days(30),
            },
            {
                "kind": "with_others",
                "description": "Start a repair café in our street with the neighbours.",
                "by": in_days(90),
            },
        ],
    }
    body.update(overrides)
    return body


def submit(client, person, **overrides):
    return client.post(
        "/api/v1/certifications", json=submission(**overrides), headers=person.headers
    )


def review(client, assessor, certification_id, decision, comment=""):
    return client.post(
        f"/api/v1/certifications/{certification_id}/review",
        json={"decision": decision, "comment": comment},
        headers=assessor.headers,
    )
