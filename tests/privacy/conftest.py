"""Privacy fixtures: a learner who left a trace in every domain, and a dump of every table.

Zorabel Quintavalle took a certifiable course (lessons, a quiz), joined a class and a circle,
came to a meeting and rated it, ran a circle of her own, pledged, reported, earned badges and
was certified. Her name, her email and each text she wrote are distinctive, so that a search
of the whole database for them finds her and only her.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from learning.accounts.models import User
from learning.actions import services as actions
from learning.brussels import TIMEZONE
from learning.extensions import db
from learning.progress import services as progress
from tests.badges.conftest import write_course
from tests.certification.conftest import catalogue_action, in_days
from tests.circles.conftest import proposal
from tests.factories import RIGHT_ANSWERS, import_folder

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=TIMEZONE)
FIRST_MEETING = datetime(2026, 3, 17, 19, 0, tzinfo=TIMEZONE)
AFTER_FIRST_MEETING = FIRST_MEETING + timedelta(hours=2)

EMAIL = "zorabel.quintavalle@example.org"
NAME = "Zorabel Quintavalle"
FREE_TEXTS = {
    "reflection": "Quintessa-reflection: the tram to Flagey changed my mind",
    "second_reflection": "Quintessa-second: I will tell my grandmother",
    "certification_action": "Quintessa-action: a repair café on Rue Malibran",
    "feedback": "Quintessa-feedback: the waffles made the meeting",
    "custom_pledge": "Quintessa-pledge: rooftop beehive",
    "report_note": "Quintessa-note: the bees are settling in",
    "meeting_reflection": "Quintessa-facilitator: the group found its voice",
}
COMMUNE = "ixelles"
OTHER_PLEDGERS = 5


@pytest.fixture
def app(app):
    """Access tokens outlive the fortnight the scenario travels through."""
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(days=365)
    return app


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@dataclass
class Trace:
    """What the scenario made, to look for before and after erasure."""

    user_id: int
    headers: dict
    refresh_token: str
    facilitator_headers: dict
    teacher_headers: dict
    circle_id: int
    own_circle_id: int
    class_id: int
    certification_id: int
    pledge_ids: list[str] = field(default_factory=list)
    assertion_urls: list[str] = field(default_factory=list)


def _ok(response, status=200):
    assert response.status_code == status, response.json
    return response.json


@pytest.fixture
def signed_in(client, make_user, login):
    def make(*roles, email=None, display_name="Learner"):
        user_id, email = make_user(roles=roles, email=email, display_name=display_name)
        tokens = login(email)
        return user_id, {"Authorization": f"Bearer {tokens['access_token']}"}, tokens

    return make


@pytest.fixture
def certifiable(app, tmp_path):
    """A published certifiable course, slug certifiable: three modules of one lesson each, and
    a quiz in the first."""
    folder = write_course(
        tmp_path / "certifiable", slug="certifiable", certifiable=True, quizzes=(0,)
    )
    return import_folder(app, folder)


@pytest.fixture
def other_pledgers(app, make_user, certifiable):
    """Five more learners of the commune, enrolled in the course, with a pledge each, so that
    the region's, the commune's and the course's impact figures are shown."""
    ids = [make_user()[0] for _ in range(OTHER_PLEDGERS)]
    with app.app_context():
        db.session.execute(sa.update(User).where(User.id.in_(ids)).values(commune=COMMUNE))
        db.session.commit()
        for user_id in ids:
            progress.enrol(user=db.session.get(User, user_id), slug="certifiable")
            actions.pledge_action(
                user=db.session.get(User, user_id),
                preferred=["en"],
                action="heat-pump",
                custom=None,
                pledge_id=None,
                now=T0,
            )
    return ids


@pytest.fixture
def zorabel(client, clock, signed_in, other_pledgers) -> Trace:
    """Zorabel's whole journey, through the API."""
    user_id, headers, tokens = signed_in(email=EMAIL, display_name=NAME)
    _ok(client.patch("/api/v1/me", json={"commune": COMMUNE}, headers=headers))
    _, teacher, _ = signed_in("teacher")
    _, assessor, _ = signed_in("assessor")
    _, facilitator, _ = signed_in(display_name="Fatima")

    # Learning: every lesson, and the quiz.
    completed_at = (T0 - timedelta(hours=1)).isoformat()
    events = [
        {
            "id": f"00000000-0000-4000-8000-00000000000{m}",
            "course": "certifiable",
            "lesson": f"lesson-{m}-0",
            "verb": "completed",
            "at": completed_at,
        }
        for m in range(3)
    ]
    _ok(client.post("/api/v1/progress/events", json={"events": events}, headers=headers))
    attempt = client.post(
        "/api/v1/courses/certifiable/quizzes/quiz-0/attempts",
        json={"answers": RIGHT_ANSWERS},
        headers=headers,
    )
    assert _ok(attempt, 201)["passed"] is True

    # A class.
    school_class = _ok(
        client.post(
            "/api/v1/classes",
            json={"name": "5B", "school": "Athénée", "commune": COMMUNE, "language": "fr"},
            headers=teacher,
        ),
        201,
    )
    _ok(
        client.post(
            "/api/v1/classes/join", json={"code": school_class["join_code"]}, headers=headers
        )
    )

    # Two circles: Fatima's, which Zorabel joins, and Zorabel's own.
    circles = []
    for runner in (facilitator, headers):
        draft = _ok(
            client.post("/api/v1/circles", json=proposal(course="certifiable"), headers=runner), 201
        )
        _ok(client.post(f"/api/v1/circles/{draft['id']}/publish", headers=runner))
        circles.append(draft["id"])
    circle_id, own_circle_id = circles
    _ok(client.post(f"/api/v1/circles/{circle_id}/signup", headers=headers))

    # Pledges: one from the catalogue with a report, one of her own.
    pledged = _ok(
        client.post("/api/v1/me/pledges", json={"action": "heat-pump"}, headers=headers), 201
    )
    custom = {"custom": {"title": FREE_TEXTS["custom_pledge"], "kg_co2e_per_year": 30}}
    own = _ok(client.post("/api/v1/me/pledges", json=custom, headers=headers), 201)
    _ok(
        client.post(
            f"/api/v1/me/pledges/{pledged['id']}/reports",
            json={"status": "ongoing", "note": FREE_TEXTS["report_note"]},
            headers=headers,
        ),
        201,
    )

    # Certification, approved.
    submitted = client.post(
        "/api/v1/certifications",
        json={
            "course": "certifiable",
            "reflections": {
                "what-changed": FREE_TEXTS["reflection"],
                "who-will-you-tell": FREE_TEXTS["second_reflection"],
            },
            "actions": [
                {
                    "kind": "personal",
                    "action": catalogue_action("personal"),
                    "description": "Cycle to work.",
                    "by": in_days(30),
                },
                {
                    "kind": "with_others",
                    "description": FREE_TEXTS["certification_action"],
                    "by": in_days(90),
                },
            ],
        },
        headers=headers,
    )
    certification = _ok(submitted, 201)
    _ok(
        client.post(
            f"/api/v1/certifications/{certification['id']}/review",
            json={"decision": "approve", "comment": f"Well done, {NAME}."},
            headers=assessor,
        )
    )

    # The first meetings: Zorabel comes to Fatima's and rates it, and reflects on her own.
    clock.move_to(AFTER_FIRST_MEETING)
    user = {"present": [user_id]}
    _ok(
        client.put(
            f"/api/v1/circles/{circle_id}/meetings/1/attendance", json=user, headers=facilitator
        )
    )
    _ok(
        client.post(
            f"/api/v1/circles/{circle_id}/meetings/1/feedback",
            json={"rating": 4, "comment": FREE_TEXTS["feedback"]},
            headers=headers,
        ),
        201,
    )
    _ok(
        client.put(
            f"/api/v1/circles/{own_circle_id}/meetings/1/reflection",
            json={"text": FREE_TEXTS["meeting_reflection"]},
            headers=headers,
        )
    )

    badges = _ok(client.get("/api/v1/me/badges?per_page=100", headers=headers))["items"]
    return Trace(
        user_id=user_id,
        headers=headers,
        refresh_token=tokens["refresh_token"],
        facilitator_headers=facilitator,
        teacher_headers=teacher,
        circle_id=circle_id,
        own_circle_id=own_circle_id,
        class_id=school_class["id"],
        certification_id=certification["id"],
        pledge_ids=[pledged["id"], own["id"]],
        assertion_urls=[badge["assertion_url"] for badge in badges],
    )


@pytest.fixture
def dump_tables(app):
    """Every row of every table, each value as text: {table: [row as tuple of strings]}."""

    def dump() -> dict[str, list[tuple[str, ...]]]:
        with app.app_context(), db.engine.connect() as connection:
            return {
                table.name: sorted(
                    tuple(str(value) for value in row)
                    for row in connection.execute(sa.select(table))
                )
                for table in db.metadata.sorted_tables
            }

    return dump
