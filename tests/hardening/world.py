"""A small populated world for the hardening tests: one person per kind of actor, and the objects
they own or take part in (a published course, a class, a circle, a pledge, a certification, a
badge), so that every path of the API has something real to point at.

The world is built through the API, the way the apps would, and lazily: a test pays only for the
objects its request needs.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property

import time_machine

from learning.actions.catalogue import load_catalogue
from learning.gamification.rules import POINTS_METRIC
from tests.badges.conftest import PROMPTS, write_course
from tests.conftest import PASSWORD
from tests.factories import RIGHT_ANSWERS, upload, zip_folder

COURSE_VERSION = "1.0.0"
DRAFT_VERSION = "1.1.0"
LESSON = "lesson-0-0"
QUIZ = "quiz-0"
ASSET = "diagram.png"
# The smallest valid PNG: one transparent pixel.
PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
COMMUNE = "ixelles"
# The platform badge `member` earns by completing the course.
BADGE = "course-completed"

# Every kind of caller the authorization matrix knows. `member` takes part in everything a
# learner can (the class, the circle) and owns the personal objects (pledge, certification,
# badge); `learner` is a stranger to all of them. `other_teacher` and `other_author` hold the
# role but not this class or course.
ACTORS = (
    "anonymous",
    "learner",
    "member",
    "facilitator",
    "teacher",
    "other_teacher",
    "author",
    "other_author",
    "assessor",
    "admin",
)
OBJECTS = (
    "course",
    "school_class",
    "other_class_id",
    "assignment_id",
    "circle_id",
    "assertion_id",
    "certification_id",
    "pledge_id",
    "challenge_id",
    "calendar_token",
)
ROLES = {
    "learner": (),
    "member": (),
    "facilitator": (),
    "teacher": ("teacher",),
    "other_teacher": ("teacher",),
    "author": ("author",),
    "other_author": ("author",),
    "assessor": ("assessor",),
    "admin": ("admin",),
}


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    headers: dict
    refresh_headers: dict


def _ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    return response


class World:
    """The actors and their objects; each object is made on first use, through the API."""

    def __init__(self, app, client, folder):
        self.app = app
        self.client = client
        self.folder = folder
        self._people: dict[str, Person] = {}

    def person(self, actor: str) -> Person | None:
        """The signed-in person playing `actor`; None for the anonymous caller."""
        if actor == "anonymous":
            return None
        if actor not in self._people:
            from learning.accounts import services

            email = f"{actor.replace('_', '-')}-{uuid.uuid4().hex[:8]}@example.org"
            with self.app.app_context():
                user = services.create_user(
                    email=email,
                    password=PASSWORD,
                    display_name=actor.replace("_", " ").title(),
                    locale="en",
                    roles=ROLES[actor],
                )
                user_id = user.id
            answer = self._login(email)
            self._people[actor] = Person(
                user_id,
                email,
                {"Authorization": f"Bearer {answer['access_token']}"},
                {"Authorization": f"Bearer {answer['refresh_token']}"},
            )
        return self._people[actor]

    def _login(self, email: str) -> dict:
        return _ok(
            self.client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        ).json

    def _sign_in(self, email: str) -> dict:
        return {"Authorization": f"Bearer {self._login(email)['access_token']}"}

    def headers(self, actor: str) -> dict:
        person = self.person(actor)
        return dict(person.headers) if person else {}

    def user_id(self, actor: str) -> int:
        return self.person(actor).id

    def _post(self, path, actor, json=None, status=200, headers=None):
        headers = headers or self.headers(actor)
        return _ok(self.client.post(path, json=json, headers=headers), status).json

    @cached_property
    def course(self) -> str:
        """A certifiable course with a quiz and an asset, uploaded and published by `author`;
        a newer draft waits beside it. Its slug is the world's own, so that worlds can live
        side by side in one database."""
        slug = f"world-course-{uuid.uuid4().hex[:8]}"
        folder = write_course(self.folder / "course", slug=slug, certifiable=True, quizzes=(0,))
        (folder / "assets").mkdir(exist_ok=True)
        (folder / "assets" / ASSET).write_bytes(PIXEL_PNG)
        headers = self.headers("author")
        _ok(upload(self.client, headers, zip_folder(folder, root=slug)), 201)
        self._post(f"/api/v1/authoring/courses/{slug}/versions/{COURSE_VERSION}/publish", "author")
        draft = write_course(
            self.folder / "draft", slug=slug, certifiable=True, quizzes=(0,), version=DRAFT_VERSION
        )
        _ok(upload(self.client, headers, zip_folder(draft, root=slug)), 201)
        return slug

    @cached_property
    def school_class(self) -> dict:
        """`teacher`'s class, with its leaderboard on, which `member` joined."""
        created = self._post(
            "/api/v1/classes",
            "teacher",
            {
                "name": "5B",
                "school": "Athénée",
                "commune": COMMUNE,
                "language": "fr",
                "leaderboard_enabled": True,
            },
            201,
        )
        self._post("/api/v1/classes/join", "member", {"code": created["join_code"]})
        return created

    @property
    def class_id(self) -> int:
        return self.school_class["id"]

    @property
    def join_code(self) -> str:
        return self.school_class["join_code"]

    @cached_property
    def other_class_id(self) -> int:
        """A class of `other_teacher`, with no learners."""
        return self._post(
            "/api/v1/classes",
            "other_teacher",
            {"name": "6A", "school": "Lycée", "commune": COMMUNE, "language": "nl"},
            201,
        )["id"]

    @cached_property
    def assignment_id(self) -> int:
        return self._post(
            f"/api/v1/classes/{self.class_id}/assignments",
            "teacher",
            {"course": self.course, "due_at": self.in_days(14)},
            201,
        )["id"]

    @cached_property
    def circle_id(self) -> int:
        """`facilitator`'s published circle, which started three weeks ago; `member` joined it
        and came to its first meeting."""
        course = self.course
        started = datetime.now(UTC) - timedelta(days=21)
        facilitator, member = self.person("facilitator"), self.person("member")
        with time_machine.travel(started - timedelta(days=2), tick=True):
            # Tokens signed now are not valid yet back then: sign in again in the past.
            facilitator_then = self._sign_in(facilitator.email)
            circle = self._post(
                "/api/v1/circles",
                "facilitator",
                {
                    "course": course,
                    "title": "Climat à la bibliothèque",
                    "language": "fr",
                    "commune": COMMUNE,
                    "venue": {"name": "Bibliothèque", "address": "Rue Mercelis 19"},
                    "capacity": 6,
                    "first_meeting": started.isoformat(),
                    "meetings": 6,
                    "duration_minutes": 90,
                    "timezone": "Europe/Brussels",
                },
                201,
                facilitator_then,
            )
            circle_path = f"/api/v1/circles/{circle['id']}"
            self._post(f"{circle_path}/publish", "facilitator", headers=facilitator_then)
            self._post(f"{circle_path}/signup", "member", headers=self._sign_in(member.email))
        response = self.client.put(
            f"{circle_path}/meetings/1/attendance",
            json={"present": [member.id]},
            headers=facilitator.headers,
        )
        _ok(response)
        return circle["id"]

    @cached_property
    def completed(self) -> bool:
        """`member` completed every lesson and passed the quiz, which earns a badge."""
        course = self.course
        events = [
            {
                "id": str(uuid.uuid4()),
                "course": course,
                "lesson": f"lesson-{module}-0",
                "verb": "completed",
                "at": datetime.now(UTC).isoformat(),
            }
            for module in range(3)
        ]
        self._post("/api/v1/progress/events", "member", {"events": events})
        self._post(
            f"/api/v1/courses/{course}/quizzes/{QUIZ}/attempts",
            "member",
            {"answers": RIGHT_ANSWERS},
            201,
        )
        return True

    @cached_property
    def assertion_id(self) -> str:
        """The badge `member` earned by completing the course."""
        assert self.completed
        answer = _ok(self.client.get("/api/v1/me/badges", headers=self.headers("member"))).json
        return answer["items"][0]["id"]

    @cached_property
    def certification_id(self) -> int:
        """`member`'s certification request, waiting for an assessor."""
        assert self.completed
        actions = load_catalogue().actions
        personal = next(slug for slug, action in actions.items() if action["kind"] == "personal")
        return self._post(
            "/api/v1/certifications",
            "member",
            {
                "course": self.course,
                "reflections": {prompt: f"My answer to {prompt}." for prompt in PROMPTS},
                "actions": [
                    {
                        "kind": "personal",
                        "action": personal,
                        "description": "Cycle to work three days a week.",
                        "by": self.in_days(30)[:10],
                    },
                    {
                        "kind": "with_others",
                        "description": "Start a repair café with the neighbours.",
                        "by": self.in_days(90)[:10],
                    },
                ],
            },
            201,
        )["id"]

    @cached_property
    def pledge_id(self) -> str:
        """`member`'s pledge of a catalogue action."""
        return self._post("/api/v1/me/pledges", "member", {"action": self.action}, 201)["id"]

    @cached_property
    def action(self) -> str:
        return next(iter(load_catalogue().actions))

    @cached_property
    def challenge_id(self) -> int:
        """A challenge `teacher` set for the class."""
        return self._post(
            "/api/v1/challenges",
            "teacher",
            {
                "scope": f"class:{self.class_id}",
                "title": "Finish the course",
                "metric": POINTS_METRIC,
                "target": 10,
                "ends_at": self.in_days(30),
            },
            201,
        )["id"]

    @cached_property
    def calendar_token(self) -> str:
        """The secret of `member`'s calendar feed."""
        answer = _ok(
            self.client.get("/api/v1/me/circles/calendar", headers=self.headers("member"))
        ).json
        return answer["url"].rsplit("/", 1)[-1].removesuffix(".ics")

    def path_values(self) -> dict:
        """Getters of the world's objects, by the names paths give their parameters."""
        return {
            "slug": lambda: self.course,
            "course": lambda: self.course,
            "version": lambda: COURSE_VERSION,
            "lesson": lambda: LESSON,
            "quiz": lambda: QUIZ,
            "name": lambda: ASSET,
            "class_id": lambda: self.class_id,
            "assignment_id": lambda: self.assignment_id,
            "circle_id": lambda: self.circle_id,
            "number": lambda: 1,
            "user_id": lambda: self.user_id("member"),
            "challenge_id": lambda: self.challenge_id,
            "pledge_id": lambda: self.pledge_id,
            "assertion_id": lambda: self.assertion_id,
            "certification_id": lambda: self.certification_id,
            "token": lambda: self.calendar_token,
            "commune": lambda: COMMUNE,
        }

    def populate(self) -> "World":
        """Make every actor and every object now, before anything can delete what they need."""
        for actor in ACTORS:
            self.person(actor)
        for name in OBJECTS:
            getattr(self, name)
        return self

    @staticmethod
    def in_days(days: int) -> str:
        return (datetime.now(UTC) + timedelta(days=days)).isoformat()
