"""Who may call what: every route of the URL map against a declared table of the callers it lets
in, tried by every kind of caller on real objects, some of them someone else's.

A caller the table lets in must not be turned away (401, 403 or 404); any other caller must be:
401 when anonymous, 403 or 404 when signed in (the services answer 404 where saying "forbidden"
would tell a stranger the object exists). A route missing from the table, or a table entry for a
route that no longer exists, fails the test: a new route is not done until someone decided who
may call it.
"""

import io
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from tests.badges.conftest import PROMPTS, write_course
from tests.conftest import PASSWORD, make_app
from tests.factories import RIGHT_ANSWERS, zip_folder
from tests.hardening.world import (
    ACTORS,
    BADGE,
    COMMUNE,
    DRAFT_VERSION,
    LESSON,
    World,
)

EVERYONE = frozenset(ACTORS)
SIGNED_IN = EVERYONE - {"anonymous"}
TEACHER_OF_CLASS = frozenset({"teacher"})
AUTHORS_OF_COURSE = frozenset({"author", "admin"})
FACILITATOR = frozenset({"facilitator"})
OWNER = frozenset({"member"})
ADMIN = frozenset({"admin"})
ASSESSOR = frozenset({"assessor"})
TURNED_AWAY = {401, 403, 404}


@dataclass(frozen=True)
class Access:
    """Who may call one route, and how to call it: path parameters that differ from the world's
    usual objects, a body that passes validation (so that what answers is the authorization,
    not the input checks), and whether the calls may spoil the world for other routes."""

    allowed: frozenset
    body: Callable[[World, str], dict] | None = None
    params: dict = field(default_factory=dict)
    fresh: bool = False
    send: Callable | None = None


def _upload(world: World, actor: str, path: str):
    """A new version of the world's course, zipped, as its authors would send it."""
    slug = world.course
    folder = write_course(
        world.folder / f"upload-{actor}", slug=slug, certifiable=True, quizzes=(0,), version="2.0.0"
    )
    return world.client.post(
        path,
        data={"package": (io.BytesIO(zip_folder(folder, root=slug)), "course.zip")},
        headers=world.headers(actor),
        content_type="multipart/form-data",
    )


def _refresh(world: World, actor: str, path: str):
    """The refresh route takes the refresh token, not the access token."""
    person = world.person(actor)
    return world.client.post(path, headers=person.refresh_headers if person else {})


def _submission(world: World, _actor: str) -> dict:
    return {
        "course": world.course,
        "reflections": {prompt: f"My answer to {prompt}." for prompt in PROMPTS},
        "actions": [
            {"kind": "personal", "description": "Cycle.", "by": world.in_days(30)[:10]},
            {"kind": "with_others", "description": "Repair café.", "by": world.in_days(60)[:10]},
        ],
    }


def _proposal(world: World, _actor: str) -> dict:
    return {
        "course": world.course,
        "title": "Another circle",
        "language": "en",
        "commune": COMMUNE,
        "venue": {"name": "Library", "address": "Rue Mercelis 19"},
        "capacity": 6,
        "first_meeting": world.in_days(10),
        "meetings": 4,
        "duration_minutes": 90,
        "timezone": "Europe/Brussels",
    }


def _course_badge(world: World, actor: str) -> dict:
    language_map = {"en": "Badge", "nl": "Badge", "fr": "Badge"}
    return {
        "slug": f"world-badge-{actor.replace('_', '-')}",
        "name": language_map,
        "description": language_map,
        "criteria": language_map,
        "colour": "#1b5e20",
        "icon": "star",
        "rule": {"type": "course_completed"},
    }


def body(value: dict) -> Callable[[World, str], dict]:
    return lambda _world, _actor: value


OTHER_TEACHER = {"user_id": lambda world: world.user_id("other_teacher")}
OTHER_AUTHOR = {"user_id": lambda world: world.user_id("other_author")}
LEARNER = {"user_id": lambda world: world.user_id("learner")}

TABLE: dict[tuple[str, str], Access] = {
    # Documentation, probes and public pages.
    ("GET", "/api/docs"): Access(EVERYONE),
    ("GET", "/api/docs/assets/<path:filename>"): Access(
        EVERYONE, params={"filename": lambda _world: "swagger-ui.css"}
    ),
    ("GET", "/api/openapi.json"): Access(EVERYONE),
    ("GET", "/healthz"): Access(EVERYONE),
    ("GET", "/readyz"): Access(EVERYONE),
    ("GET", "/static/<path:filename>"): Access(
        EVERYONE, params={"filename": lambda _world: "impact.css"}
    ),
    ("GET", "/impact"): Access(EVERYONE),
    ("GET", "/impact/<commune>"): Access(EVERYONE),
    # Accounts.
    ("POST", "/api/v1/auth/register"): Access(
        EVERYONE,
        body=lambda _world, actor: {
            "email": f"new-{actor.replace('_', '-')}-{uuid.uuid4().hex[:6]}@example.org",
            "password": "a long and unguessable passphrase",
            "display_name": "Newcomer",
            "locale": "en",
        },
    ),
    ("POST", "/api/v1/auth/login"): Access(
        EVERYONE,
        body=lambda world, _actor: {"email": world.person("learner").email, "password": PASSWORD},
    ),
    ("POST", "/api/v1/auth/refresh"): Access(SIGNED_IN, send=_refresh, fresh=True),
    ("POST", "/api/v1/auth/password-reset"): Access(
        EVERYONE, body=lambda world, _actor: {"email": world.person("learner").email}
    ),
    ("POST", "/api/v1/auth/password-reset/confirm"): Access(
        EVERYONE,
        body=body({"token": "not-a-reset-token", "password": "a long and unguessable passphrase"}),
    ),
    ("GET", "/api/v1/me"): Access(SIGNED_IN),
    ("PATCH", "/api/v1/me"): Access(SIGNED_IN, body=body({"display_name": "Renamed"})),
    ("DELETE", "/api/v1/me"): Access(SIGNED_IN, body=body({"password": PASSWORD}), fresh=True),
    ("GET", "/api/v1/me/export"): Access(SIGNED_IN),
    ("PUT", "/api/v1/me/password"): Access(
        SIGNED_IN,
        body=body({"current_password": PASSWORD, "new_password": "another long passphrase"}),
        fresh=True,
    ),
    ("PUT", "/api/v1/users/<int:user_id>/roles"): Access(
        ADMIN, body=body({"roles": ["teacher"]}), fresh=True
    ),
    # Courses, for learners.
    ("GET", "/api/v1/courses"): Access(EVERYONE),
    ("GET", "/api/v1/courses/<slug>"): Access(EVERYONE),
    ("GET", "/api/v1/courses/<slug>/lessons/<lesson>"): Access(EVERYONE),
    ("GET", "/api/v1/courses/<slug>/quizzes/<quiz>"): Access(EVERYONE),
    ("GET", "/api/v1/courses/<slug>/versions/<version>/assets/<name>"): Access(EVERYONE),
    ("POST", "/api/v1/courses/<slug>/enrolment"): Access(SIGNED_IN),
    ("POST", "/api/v1/courses/<slug>/quizzes/<quiz>/attempts"): Access(
        SIGNED_IN, body=body({"answers": RIGHT_ANSWERS})
    ),
    # Authoring: the course's authors and admins; other authors only list their own.
    ("GET", "/api/v1/authoring/courses"): Access(AUTHORS_OF_COURSE | {"other_author"}),
    ("POST", "/api/v1/authoring/courses"): Access(AUTHORS_OF_COURSE, send=_upload, fresh=True),
    ("GET", "/api/v1/authoring/courses/<slug>/versions"): Access(AUTHORS_OF_COURSE),
    ("GET", "/api/v1/authoring/courses/<slug>/versions/<version>"): Access(
        AUTHORS_OF_COURSE, params={"version": lambda _world: DRAFT_VERSION}
    ),
    ("GET", "/api/v1/authoring/courses/<slug>/versions/<version>/lessons/<lesson>"): Access(
        AUTHORS_OF_COURSE, params={"version": lambda _world: DRAFT_VERSION}
    ),
    ("POST", "/api/v1/authoring/courses/<slug>/versions/<version>/publish"): Access(
        AUTHORS_OF_COURSE, params={"version": lambda _world: DRAFT_VERSION}, fresh=True
    ),
    ("PUT", "/api/v1/authoring/courses/<slug>/authors/<int:user_id>"): Access(
        AUTHORS_OF_COURSE, params=OTHER_AUTHOR, fresh=True
    ),
    ("DELETE", "/api/v1/authoring/courses/<slug>/authors/<int:user_id>"): Access(
        AUTHORS_OF_COURSE, params={"user_id": lambda world: world.user_id("author")}, fresh=True
    ),
    # Progress: my own.
    ("POST", "/api/v1/progress/events"): Access(
        SIGNED_IN,
        body=lambda world, _actor: {
            "events": [
                {
                    "id": str(uuid.uuid4()),
                    "course": world.course,
                    "lesson": LESSON,
                    "verb": "started",
                    "at": world.in_days(0),
                }
            ]
        },
    ),
    ("GET", "/api/v1/me/progress"): Access(SIGNED_IN),
    ("GET", "/api/v1/me/courses/<slug>/progress"): Access(SIGNED_IN),
    ("GET", "/api/v1/me/progress/xapi"): Access(SIGNED_IN),
    # Points, leaderboards and challenges.
    ("GET", "/api/v1/points/rules"): Access(EVERYONE),
    ("GET", "/api/v1/points/levels"): Access(EVERYONE),
    ("GET", "/api/v1/me/points"): Access(SIGNED_IN),
    ("GET", "/api/v1/me/points/entries"): Access(SIGNED_IN),
    ("GET", "/api/v1/users/<int:user_id>/points/entries"): Access(ADMIN),
    ("POST", "/api/v1/users/<int:user_id>/points/corrections"): Access(
        ADMIN, body=body({"points": 5, "reason": "Helped at the repair café."})
    ),
    ("GET", "/api/v1/leaderboards"): Access(SIGNED_IN),
    ("GET", "/api/v1/challenges"): Access(SIGNED_IN),
    ("POST", "/api/v1/challenges"): Access(
        TEACHER_OF_CLASS | ADMIN,
        body=lambda world, _actor: {
            "scope": f"class:{world.class_id}",
            "title": "Another goal",
            "metric": "points",
            "target": 100,
            "ends_at": world.in_days(30),
        },
    ),
    ("GET", "/api/v1/challenges/<int:challenge_id>"): Access(TEACHER_OF_CLASS | OWNER | ADMIN),
    # Classes: only its teachers see and change a class; learners act on their membership.
    ("GET", "/api/v1/classes"): Access(SIGNED_IN),
    ("POST", "/api/v1/classes"): Access(
        frozenset({"teacher", "other_teacher", "admin"}),
        body=body({"name": "4C", "school": "School", "commune": COMMUNE, "language": "en"}),
    ),
    ("POST", "/api/v1/classes/join"): Access(
        SIGNED_IN,
        body=lambda world, _actor: {"code": world.join_code},
    ),
    ("GET", "/api/v1/classes/<int:class_id>"): Access(TEACHER_OF_CLASS),
    ("PATCH", "/api/v1/classes/<int:class_id>"): Access(
        TEACHER_OF_CLASS, body=body({"name": "5B bis"})
    ),
    ("DELETE", "/api/v1/classes/<int:class_id>"): Access(TEACHER_OF_CLASS, fresh=True),
    ("POST", "/api/v1/classes/<int:class_id>/join-code"): Access(
        TEACHER_OF_CLASS, body=body({}), fresh=True
    ),
    ("GET", "/api/v1/classes/<int:class_id>/members"): Access(TEACHER_OF_CLASS),
    ("DELETE", "/api/v1/classes/<int:class_id>/members/<int:user_id>"): Access(
        TEACHER_OF_CLASS, fresh=True
    ),
    ("PUT", "/api/v1/classes/<int:class_id>/teachers/<int:user_id>"): Access(
        TEACHER_OF_CLASS, params=OTHER_TEACHER, fresh=True
    ),
    ("DELETE", "/api/v1/classes/<int:class_id>/teachers/<int:user_id>"): Access(
        TEACHER_OF_CLASS, params={"user_id": lambda world: world.user_id("teacher")}, fresh=True
    ),
    ("GET", "/api/v1/classes/<int:class_id>/assignments"): Access(TEACHER_OF_CLASS),
    ("POST", "/api/v1/classes/<int:class_id>/assignments"): Access(
        TEACHER_OF_CLASS,
        body=lambda world, _actor: {"course": world.course, "due_at": world.in_days(20)},
    ),
    ("GET", "/api/v1/classes/<int:class_id>/assignments/<int:assignment_id>"): Access(
        TEACHER_OF_CLASS
    ),
    ("PATCH", "/api/v1/classes/<int:class_id>/assignments/<int:assignment_id>"): Access(
        TEACHER_OF_CLASS, body=body({"note": "Read it twice."})
    ),
    ("DELETE", "/api/v1/classes/<int:class_id>/assignments/<int:assignment_id>"): Access(
        TEACHER_OF_CLASS, fresh=True
    ),
    ("GET", "/api/v1/classes/<int:class_id>/progress"): Access(TEACHER_OF_CLASS),
    ("GET", "/api/v1/classes/<int:class_id>/classmates"): Access(OWNER | TEACHER_OF_CLASS),
    ("GET", "/api/v1/me/classes"): Access(SIGNED_IN),
    ("DELETE", "/api/v1/me/classes/<int:class_id>"): Access(OWNER, fresh=True),
    ("GET", "/api/v1/me/assignments"): Access(SIGNED_IN),
    # Carbon actions and impact: pledges are their owner's.
    ("GET", "/api/v1/actions"): Access(EVERYONE),
    ("GET", "/api/v1/impact"): Access(EVERYONE),
    ("GET", "/api/v1/impact.csv"): Access(EVERYONE),
    ("GET", "/api/v1/me/pledges"): Access(SIGNED_IN),
    ("POST", "/api/v1/me/pledges"): Access(
        SIGNED_IN,
        body=lambda world, _actor: {"custom": {"title": "Fewer flights", "kg_co2e_per_year": 100}},
    ),
    ("GET", "/api/v1/me/pledges/<uuid:pledge_id>"): Access(OWNER),
    ("POST", "/api/v1/me/pledges/<uuid:pledge_id>/reports"): Access(
        OWNER, body=body({"status": "ongoing"})
    ),
    # Learning circles: public while published, run by their facilitators.
    ("GET", "/api/v1/circles"): Access(EVERYONE),
    ("POST", "/api/v1/circles"): Access(SIGNED_IN, body=_proposal),
    ("GET", "/api/v1/circles/<int:circle_id>"): Access(EVERYONE),
    ("PATCH", "/api/v1/circles/<int:circle_id>"): Access(
        FACILITATOR, body=body({"title": "Climat, encore"})
    ),
    ("POST", "/api/v1/circles/<int:circle_id>/publish"): Access(FACILITATOR),
    ("PUT", "/api/v1/circles/<int:circle_id>/facilitators/<int:user_id>"): Access(
        FACILITATOR, params=LEARNER, fresh=True
    ),
    ("DELETE", "/api/v1/circles/<int:circle_id>/facilitators/<int:user_id>"): Access(
        FACILITATOR,
        params={"user_id": lambda world: world.user_id("facilitator")},
        fresh=True,
    ),
    ("POST", "/api/v1/circles/<int:circle_id>/signup"): Access(SIGNED_IN),
    ("DELETE", "/api/v1/circles/<int:circle_id>/signup"): Access(SIGNED_IN, fresh=True),
    ("GET", "/api/v1/circles/<int:circle_id>/meetings"): Access(EVERYONE),
    ("PATCH", "/api/v1/circles/<int:circle_id>/meetings/<int:number>"): Access(
        FACILITATOR,
        body=lambda world, _actor: {"starts_at": world.in_days(40)},
        params={"number": lambda _world: 6},
        fresh=True,
    ),
    ("GET", "/api/v1/circles/<int:circle_id>/meetings/<int:number>/attendance"): Access(
        FACILITATOR
    ),
    ("PUT", "/api/v1/circles/<int:circle_id>/meetings/<int:number>/attendance"): Access(
        FACILITATOR, body=lambda world, _actor: {"present": [world.user_id("member")]}
    ),
    ("POST", "/api/v1/circles/<int:circle_id>/meetings/<int:number>/feedback"): Access(
        OWNER, body=body({"rating": 5, "comment": "Good."})
    ),
    ("PUT", "/api/v1/circles/<int:circle_id>/meetings/<int:number>/reflection"): Access(
        FACILITATOR, body=body({"text": "It went well."})
    ),
    ("GET", "/api/v1/circles/<int:circle_id>/report"): Access(FACILITATOR),
    ("GET", "/api/v1/circles/<int:circle_id>/calendar.ics"): Access(EVERYONE),
    ("GET", "/api/v1/me/circles"): Access(SIGNED_IN),
    ("GET", "/api/v1/me/circles/calendar"): Access(SIGNED_IN),
    ("POST", "/api/v1/me/circles/calendar/rotate"): Access(SIGNED_IN, fresh=True),
    ("GET", "/api/v1/calendar/<token>.ics"): Access(EVERYONE),
    # Badges: awards are their holder's; course badges their course's authors'.
    ("GET", "/api/v1/badges"): Access(EVERYONE),
    ("GET", "/api/v1/badges/<slug>"): Access(EVERYONE, params={"slug": lambda _world: BADGE}),
    ("POST", "/api/v1/courses/<course>/badges"): Access(AUTHORS_OF_COURSE, body=_course_badge),
    ("GET", "/api/v1/me/badges"): Access(SIGNED_IN),
    ("PATCH", "/api/v1/me/badges/<assertion_id>"): Access(OWNER, body=body({"show_name": True})),
    ("GET", "/api/v1/me/badges/<assertion_id>/baked.svg"): Access(OWNER),
    ("POST", "/api/v1/badges/assertions/<assertion_id>/revoke"): Access(
        ADMIN, body=body({"reason": "Issued by mistake."}), fresh=True
    ),
    ("GET", "/ob/issuer"): Access(EVERYONE),
    ("GET", "/ob/badges/<slug>"): Access(EVERYONE, params={"slug": lambda _world: BADGE}),
    ("GET", "/ob/badges/<slug>/image.svg"): Access(EVERYONE, params={"slug": lambda _world: BADGE}),
    ("GET", "/ob/assertions/<assertion_id>"): Access(EVERYONE),
    ("GET", "/ob/revocations"): Access(EVERYONE),
    # Certification: requests are their learner's; assessors review them.
    ("GET", "/api/v1/certifications"): Access(ASSESSOR),
    ("POST", "/api/v1/certifications"): Access(SIGNED_IN, body=_submission),
    ("GET", "/api/v1/certifications/<int:certification_id>"): Access(ASSESSOR),
    ("POST", "/api/v1/certifications/<int:certification_id>/review"): Access(
        ASSESSOR, body=body({"decision": "request_changes", "comment": "More detail."}), fresh=True
    ),
    ("GET", "/api/v1/me/certifications"): Access(SIGNED_IN),
    ("GET", "/api/v1/me/certifications/<int:certification_id>"): Access(OWNER),
    ("GET", "/api/v1/me/certifications/<int:certification_id>/certificate.pdf"): Access(OWNER),
    ("POST", "/api/v1/me/certifications/<int:certification_id>/submissions"): Access(
        OWNER,
        body=lambda world, actor: {
            key: value for key, value in _submission(world, actor).items() if key != "course"
        },
    ),
}


def routes_of(app) -> set[tuple[str, str]]:
    """Every (method, rule) the app answers, but HEAD and OPTIONS, which Flask adds itself."""
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


ROUTES = sorted(routes_of(make_app("sqlite://")))


def test_every_route_is_in_the_table():
    missing = sorted(set(ROUTES) - set(TABLE))
    assert not missing, "Routes nobody decided who may call; add them to TABLE: " + ", ".join(
        f"{method} {rule}" for method, rule in missing
    )


def test_every_table_entry_is_a_route():
    stale = sorted(set(TABLE) - set(ROUTES))
    assert not stale, "TABLE entries for routes that no longer exist: " + ", ".join(
        f"{method} {rule}" for method, rule in stale
    )


def fill(rule: str, world: World, access: Access) -> str:
    """The rule with its parameters filled in from the world, or the entry's own values."""
    values = world.path_values()

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name in access.params:
            return str(access.params[name](world))
        return str(values[name]())

    return re.sub(r"<(?:[a-z]+(?:\([^)]*\))?:)?(\w+)>", value, rule)


def call(world: World, actor: str, method: str, rule: str, access: Access):
    path = fill(rule, world, access)
    if access.send:
        response = access.send(world, actor, path)
    else:
        payload = access.body(world, actor) if access.body else None
        response = world.client.open(
            path, method=method, json=payload, headers=world.headers(actor)
        )
    # Files are streamed: read the answer and let go of the file.
    response.get_data()
    response.close()
    return response


def misjudged(allowed: frozenset, answer: Callable[[str], object]) -> list[str]:
    """Ask as every actor, those to be refused first (so that what an allowed caller changes
    cannot hide a refusal); what went otherwise than `allowed` says."""
    wrong = []
    for actor in sorted(ACTORS, key=lambda actor: actor in allowed):
        response = answer(actor)
        status = response.status_code
        if actor in allowed:
            if status in TURNED_AWAY or status >= 500:
                wrong.append(f"{actor} should be let in but got {status}: {response.json}")
        elif actor == "anonymous":
            if status != 401:
                wrong.append(f"anonymous should get 401 but got {status}")
        elif status not in (403, 404):
            wrong.append(f"{actor} should be refused (403 or 404) but got {status}")
    return wrong


@pytest.mark.parametrize(
    ("method", "rule"),
    [pytest.param(*route, id=" ".join(route)) for route in ROUTES if route in TABLE],
)
def test_route_lets_in_exactly_whom_the_table_says(worlds, method, rule):
    access = TABLE[(method, rule)]
    world = worlds.fresh() if access.fresh else worlds.shared()
    wrong = misjudged(access.allowed, lambda actor: call(world, actor, method, rule, access))
    assert not wrong, f"{method} {rule}:\n" + "\n".join(wrong)


# Objects named in the query rather than the path: boards and figures of a class or circle.
SCOPED_QUERIES = {
    "class leaderboard": (
        lambda world: f"/api/v1/leaderboards?scope=class:{world.class_id}",
        OWNER | TEACHER_OF_CLASS,
    ),
    "circle leaderboard": (
        lambda world: f"/api/v1/leaderboards?scope=circle:{world.circle_id}",
        OWNER | FACILITATOR,
    ),
    "commune leaderboard": (
        lambda _world: f"/api/v1/leaderboards?scope=commune:{COMMUNE}",
        SIGNED_IN,
    ),
    # Impact figures are public: groups under five learners are withheld, not refused.
    "class impact": (lambda world: f"/api/v1/impact?scope=class:{world.class_id}", EVERYONE),
    "circle impact": (lambda world: f"/api/v1/impact?scope=circle:{world.circle_id}", EVERYONE),
}


@pytest.mark.parametrize("query", SCOPED_QUERIES)
def test_scoped_query_lets_in_exactly_whom_the_table_says(worlds, query):
    path, allowed = SCOPED_QUERIES[query]
    world = worlds.shared()
    wrong = misjudged(
        allowed, lambda actor: world.client.get(path(world), headers=world.headers(actor))
    )
    assert not wrong, f"{query}:\n" + "\n".join(wrong)
