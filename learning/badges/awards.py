"""Awarding badges: each domain event evaluates the rules it may satisfy, in its transaction.

Receivers run inside the sender's transaction and write through its session; they never
commit. A learner holds each badge at most once: the award is an INSERT ... ON CONFLICT DO
NOTHING on (badge, learner), so two transactions awarding the same badge at the same moment
make one assertion, and only the one that made it announces badge_awarded.

Counting rules (meetings attended, circles facilitated, challenges met, pledges done) count
what the events told this domain: each subject once, in a counter row that concurrent
increments queue on. Module sets ask progress, and points levels and weekly streaks ask
gamification, through their services.
"""

import hashlib
import secrets
import uuid
from datetime import datetime

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.dialects import postgresql, sqlite

from learning import events
from learning.accounts.models import User
from learning.badges import catalogue, services
from learning.badges.definitions import (
    CERTIFICATION_APPROVED,
    CHALLENGE_MET,
    CIRCLE_FACILITATED,
    CIRCLE_MEETINGS_ATTENDED,
    COURSE_COMPLETED,
    MODULES_COMPLETED,
    PLEDGES_DONE,
    POINTS_LEVEL,
    WEEKLY_STREAK,
    load_platform_badges,
)
from learning.badges.models import BadgeAssertion, BadgeCountedSubject, BadgeCounter
from learning.db import collect_before_commit, utcnow
from learning.extensions import db
from learning.gamification.services import level_and_streak
from learning.progress.services import DONE, progress_for_learners

FACILITATOR = "facilitator"
PENDING_STANDINGS = "badges.points_standings"


def _insert(model):
    """An INSERT that can say ON CONFLICT, in the dialect of the session's database."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def recipient_identity(email: str, salt: str) -> str:
    """The Open Badges hashed identity: sha256 of the email followed by the salt."""
    return "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest()


def award(
    *, user_id: int, badge: dict, at: datetime, certificate_number: str | None = None
) -> str | None:
    """Award a badge; returns the new assertion's id, or None when the learner holds it."""
    email = db.session.scalar(sa.select(User.email).where(User.id == user_id))
    salt = secrets.token_hex(16)
    assertion_id = db.session.scalar(
        _insert(BadgeAssertion)
        .values(
            id=str(uuid.uuid4()),
            badge_slug=badge["slug"],
            user_id=user_id,
            recipient_salt=salt,
            recipient_identity=recipient_identity(email, salt),
            issued_on=at,
            certificate_number=certificate_number,
            show_name=False,
        )
        .on_conflict_do_nothing(index_elements=["badge_slug", "user_id"])
        .returning(BadgeAssertion.id)
    )
    if assertion_id is not None:
        events.badge_awarded.send(
            "badges", user_id=user_id, badge=badge["slug"], assertion=assertion_id, at=at
        )
    return assertion_id


def _candidates(user_id: int, rule_types: list[str]) -> list[dict]:
    """The badges with rules of these types that the learner does not hold yet."""
    badges = catalogue.badges_with_rules(rule_types)
    if not badges:
        return []
    held = set(
        db.session.scalars(
            sa.select(BadgeAssertion.badge_slug).where(
                BadgeAssertion.user_id == user_id,
                BadgeAssertion.badge_slug.in_([badge["slug"] for badge in badges]),
            )
        )
    )
    return [badge for badge in badges if badge["slug"] not in held]


def _count(user_id: int, counter: str, subject: str, at: datetime) -> int:
    """Count subject once towards the learner's counter; the counter's value after it."""
    new = db.session.scalar(
        _insert(BadgeCountedSubject)
        .values(user_id=user_id, counter=counter, subject=subject, at=at)
        .on_conflict_do_nothing(index_elements=["user_id", "counter", "subject"])
        .returning(BadgeCountedSubject.subject)
    )
    if new is None:
        return db.session.scalar(
            sa.select(BadgeCounter.count).where(
                BadgeCounter.user_id == user_id, BadgeCounter.counter == counter
            )
        )
    statement = _insert(BadgeCounter).values(
        user_id=user_id, counter=counter, count=1, updated_at=utcnow()
    )
    return db.session.scalar(
        statement.on_conflict_do_update(
            index_elements=["user_id", "counter"],
            set_={
                "count": BadgeCounter.count + 1,
                "updated_at": statement.excluded.updated_at,
            },
        ).returning(BadgeCounter.count)
    )


def _award_counted(user_id: int, counter: str, subject: str, at: datetime) -> None:
    count = _count(user_id, counter, subject, at)
    for badge in _candidates(user_id, [counter]):
        if count >= badge["rule"].get("count", 1):
            award(user_id=user_id, badge=badge, at=at)


def on_course_completed(_sender, *, user_id: int, course: str, at: datetime, **_kwargs) -> None:
    for badge in _candidates(user_id, [COURSE_COMPLETED]):
        if badge["rule"].get("course") in (None, course):
            award(user_id=user_id, badge=badge, at=at)


def on_module_completed(
    _sender, *, user_id: int, course: str, module: str, at: datetime, **_kwargs
) -> None:
    """A module set is complete when progress says every module of it is done."""
    candidates = [
        badge
        for badge in _candidates(user_id, [MODULES_COMPLETED])
        if badge["rule"]["course"] == course and module in badge["rule"]["modules"]
    ]
    if not candidates:
        return
    targets = sorted({(course, slug) for badge in candidates for slug in badge["rule"]["modules"]})
    standings = progress_for_learners(user_ids=[user_id], targets=targets)
    for badge in candidates:
        if all(
            standings.get((course, slug), {}).get(user_id, {}).get("state") == DONE
            for slug in badge["rule"]["modules"]
        ):
            award(user_id=user_id, badge=badge, at=at)


def on_circle_meeting_attended(
    _sender, *, user_id: int, circle_id: int, meeting: int, at: datetime, **_kwargs
) -> None:
    _award_counted(user_id, CIRCLE_MEETINGS_ATTENDED, f"{circle_id}/{meeting}", at)


def on_circle_completed(
    _sender, *, user_id: int, circle_id: int, role: str, at: datetime, **_kwargs
) -> None:
    if role == FACILITATOR:
        _award_counted(user_id, CIRCLE_FACILITATED, str(circle_id), at)


def on_challenge_met(_sender, *, user_id: int, challenge, at: datetime, **_kwargs) -> None:
    _award_counted(user_id, CHALLENGE_MET, str(challenge), at)


def on_action_reported_done(_sender, *, user_id: int, pledge, at: datetime, **_kwargs) -> None:
    _award_counted(user_id, PLEDGES_DONE, str(pledge), at)


def on_points_awarded(_sender, *, user_id: int, at: datetime, **_kwargs) -> None:
    """Levels and weekly streaks as gamification computes them: checked once per learner and
    transaction, before it commits, after all its awards (a sync of fifty lessons checks once)."""
    latest = collect_before_commit(db.session(), PENDING_STANDINGS, dict, _award_levels_and_streaks)
    latest[user_id] = max(at, latest.get(user_id, at))


def _award_levels_and_streaks(latest: dict[int, datetime]) -> None:
    """The level and weekly streak badges each learner now reaches, dated by their last award."""
    for user_id, at in sorted(latest.items()):
        candidates = _candidates(user_id, [POINTS_LEVEL, WEEKLY_STREAK])
        if not candidates:
            continue
        standing = level_and_streak(user_id=user_id)
        for badge in candidates:
            rule = badge["rule"]
            if rule["type"] == POINTS_LEVEL:
                reached = standing["threshold"] >= rule["threshold"]
            else:
                reached = standing["weeks_in_a_row"] >= rule["weeks"]
            if reached:
                award(user_id=user_id, badge=badge, at=at)


def on_certification_approved(
    _sender, *, user_id: int, course: str, number: str, at: datetime, **_kwargs
) -> None:
    """The certificate's number goes on every badge the approval earns, as its evidence."""
    for badge in _candidates(user_id, [CERTIFICATION_APPROVED]):
        if badge["rule"].get("course") in (None, course):
            award(user_id=user_id, badge=badge, at=at, certificate_number=number)


RECEIVERS = (
    (events.course_completed, on_course_completed),
    (events.module_completed, on_module_completed),
    (events.circle_meeting_attended, on_circle_meeting_attended),
    (events.circle_completed, on_circle_completed),
    (events.challenge_met, on_challenge_met),
    (events.action_reported_done, on_action_reported_done),
    (events.points_awarded, on_points_awarded),
    (events.certification_approved, on_certification_approved),
    (events.course_published, services.on_course_published),
)


def init_app(app: Flask) -> None:
    """Check the platform badges file and connect the receivers (connecting twice is a no-op)."""
    load_platform_badges()
    for signal, receiver in RECEIVERS:
        signal.connect(receiver)
