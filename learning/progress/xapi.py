"""A learner's progress as xAPI 1.0.3 statements, for institutions' own learning record stores.

Learners are identified by an account on this platform, never by their email.
"""

import uuid

import sqlalchemy as sa
from flask import current_app

from learning.accounts.models import User
from learning.courses.models import Course
from learning.extensions import db
from learning.progress.models import ACCEPTED, ProgressEvent, QuizAttempt

ADL = "http://adlnet.gov/expapi/verbs/"
VERB_IRIS = {"started": "attempted", "position": "progressed", "completed": "completed"}
LESSON_TYPE = "http://adlnet.gov/expapi/activities/lesson"
QUIZ_TYPE = "http://adlnet.gov/expapi/activities/assessment"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
# Attempt statements get stable ids derived from the attempt, so exporting twice matches.
ATTEMPT_NAMESPACE = uuid.UUID("5d1f3c56-3f0e-4a57-9d0c-8f0c2b1e7a11")


def _verb(word: str) -> dict:
    return {"id": ADL + word, "display": {"en-US": word}}


def _activity(iri: str, activity_type: str) -> dict:
    return {"objectType": "Activity", "id": iri, "definition": {"type": activity_type}}


def _context(base: str, course: str) -> dict:
    return {
        "platform": "carbonlit",
        "contextActivities": {"parent": [_activity(f"{base}/courses/{course}", COURSE_TYPE)]},
    }


def statements(*, user: User, page: int, per_page: int) -> dict:
    """Accepted progress events and graded quiz attempts, oldest first, a page at a time."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    actor = {
        "objectType": "Agent",
        "account": {"homePage": base, "name": str(user.id)},
    }
    events = sa.select(
        sa.literal("event").label("kind"),
        ProgressEvent.id,
        ProgressEvent.client_at.label("at"),
    ).where(ProgressEvent.user_id == user.id, ProgressEvent.status == ACCEPTED)
    attempts = sa.select(
        sa.literal("attempt").label("kind"),
        QuizAttempt.id,
        QuizAttempt.submitted_at.label("at"),
    ).where(QuizAttempt.user_id == user.id)
    merged = sa.union_all(events, attempts).subquery()
    rows = db.session.execute(
        sa.select(merged.c.kind, merged.c.id)
        .order_by(merged.c.at, merged.c.kind, merged.c.id)
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    more = len(rows) > per_page
    rows = rows[:per_page]
    event_ids = [row.id for row in rows if row.kind == "event"]
    attempt_ids = [row.id for row in rows if row.kind == "attempt"]
    loaded = {
        ("event", e.id): e
        for e in db.session.scalars(sa.select(ProgressEvent).where(ProgressEvent.id.in_(event_ids)))
    }
    loaded.update(
        {
            ("attempt", a.id): a
            for a in db.session.scalars(
                sa.select(QuizAttempt).where(QuizAttempt.id.in_(attempt_ids))
            )
        }
    )
    course_slugs = _course_slugs({a.course_id for k, a in loaded.items() if k[0] == "attempt"})
    result = []
    for row in rows:
        item = loaded[(row.kind, row.id)]
        if row.kind == "event":
            result.append(_event_statement(item, actor, base))
        else:
            result.append(_attempt_statement(item, actor, base, course_slugs[item.course_id]))
    next_page = f"/api/v1/me/progress/xapi?page={page + 1}&per_page={per_page}" if more else ""
    return {"statements": result, "more": next_page}


def _course_slugs(course_ids: set[int]) -> dict[int, str]:
    if not course_ids:
        return {}
    query = sa.select(Course.id, Course.slug).where(Course.id.in_(course_ids))
    return {row.id: row.slug for row in db.session.execute(query)}


def _event_statement(event: ProgressEvent, actor: dict, base: str) -> dict:
    statement = {
        "id": event.event_id,
        "actor": actor,
        "verb": _verb(VERB_IRIS[event.verb]),
        "object": _activity(f"{base}/courses/{event.course}/lessons/{event.lesson}", LESSON_TYPE),
        "context": _context(base, event.course),
        "timestamp": event.client_at.isoformat(),
        "stored": event.received_at.isoformat(),
        "version": "1.0.3",
    }
    if event.verb == "completed":
        statement["result"] = {"completion": True}
    elif event.verb == "position" and event.position is not None:
        statement["result"] = {"extensions": {f"{base}/xapi/extensions/position": event.position}}
    return statement


def _attempt_statement(attempt: QuizAttempt, actor: dict, base: str, course: str) -> dict:
    return {
        "id": str(uuid.uuid5(ATTEMPT_NAMESPACE, str(attempt.id))),
        "actor": actor,
        "verb": _verb("passed" if attempt.passed else "failed"),
        "object": _activity(f"{base}/courses/{course}/quizzes/{attempt.quiz_slug}", QUIZ_TYPE),
        "context": _context(base, course),
        "result": {
            "score": {"scaled": attempt.score / 100, "raw": attempt.score, "min": 0, "max": 100},
            "success": attempt.passed,
            "completion": True,
        },
        "timestamp": attempt.submitted_at.isoformat(),
        "stored": attempt.submitted_at.isoformat(),
        "version": "1.0.3",
    }
