"""The use cases of gamification: my points, the ledger, corrections, leaderboards, challenges."""

import bisect
import uuid
from array import array
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app

from learning.accounts.models import User
from learning.accounts.services import find_user
from learning.db import as_json, utcnow
from learning.errors import Conflict, InvalidInput, NotFound
from learning.extensions import db
from learning.gamification import challenges, levels, rules, scopes
from learning.gamification.ledger import announce, record
from learning.gamification.models import ActivityDay, Challenge, LedgerEntry, PointsTotal
from learning.gamification.periods import (
    ALL,
    ALL_TIME_START,
    PERIODS,
    brussels_day,
    period_start,
)
from learning.gamification.streaks import compute_streak
from learning.kept import kept

RECENT_ENTRIES = 10
UPCOMING, ACTIVE, MET, ENDED = "upcoming", "active", "met", "ended"
CHALLENGE_STATUSES = (UPCOMING, ACTIVE, MET, ENDED)
# A board keeps its first TOP_KEPT learners: the largest limit a request may ask for
# (LeaderboardArgsSchema).
TOP_KEPT = 100
# Boards kept per process: every scope (classes and circles included) and period.
BOARDS_KEPT = 1024
BOARDS = "leaderboards"


def list_rules(*, language: str) -> list[dict]:
    """The published rules: what pays how much, and how often a day."""
    return [
        {
            "event": rule.event,
            "label": rule.label[language],
            "points": rule.points,
            "daily_cap": rule.daily_cap,
            "metric": rule.metric,
        }
        for rule in rules.active_rules().values()
    ]


def list_levels(*, language: str) -> list[dict]:
    return [
        {"name": level.names[language], "threshold": level.threshold} for level in levels.LEVELS
    ]


def _entry(entry: LedgerEntry, language: str) -> dict:
    return {
        "id": entry.id,
        "rule": entry.rule,
        "label": rules.label(entry.rule)[language],
        "subject": entry.subject,
        "points": entry.points,
        "capped": entry.capped,
        "reason": entry.reason,
        "awarded_at": entry.awarded_at,
        "recorded_at": entry.recorded_at,
        "compensates": entry.compensates_id,
        "created_by": entry.created_by_id,
    }


def _total(user_id: int, kind: str, start) -> int:
    return (
        db.session.scalar(
            sa.select(PointsTotal.points).where(
                PointsTotal.period_kind == kind,
                PointsTotal.period_start == start,
                PointsTotal.user_id == user_id,
            )
        )
        or 0
    )


def _streak_out(streak) -> dict:
    return {
        "current": streak.current,
        "best": streak.best,
        "freezes": streak.freezes,
        "active_today": streak.active_today,
        "weekly_goal": {
            "days": streak.weekly_goal_days,
            "this_week": streak.days_this_week,
            "weeks_in_a_row": streak.weeks_in_a_row,
        },
    }


def _streak(user_id: int):
    days = db.session.scalars(sa.select(ActivityDay.day).where(ActivityDay.user_id == user_id))
    return compute_streak(
        list(days),
        today=brussels_day(utcnow()),
        weekly_goal_days=current_app.config["STREAK_WEEKLY_GOAL_DAYS"],
    )


def level_and_streak(*, user_id: int) -> dict:
    """The threshold of the level a learner has reached and the weeks in a row they met the
    weekly goal: what level and streak badges ask, in two queries."""
    level, _ = levels.level_for(_total(user_id, ALL, ALL_TIME_START))
    return {"threshold": level.threshold, "weeks_in_a_row": _streak(user_id).weeks_in_a_row}


def my_points(*, user: User, language: str) -> dict:
    """Total, level and the next one, streaks and my latest ledger entries."""
    total = _total(user.id, ALL, ALL_TIME_START)
    level, next_level = levels.level_for(total)
    streak = _streak(user.id)
    recent = db.session.scalars(
        sa.select(LedgerEntry)
        .where(LedgerEntry.user_id == user.id)
        .order_by(LedgerEntry.recorded_at.desc(), LedgerEntry.id.desc())
        .limit(RECENT_ENTRIES)
    )
    return {
        "total": total,
        "level": {"name": level.names[language], "threshold": level.threshold},
        "next_level": None
        if next_level is None
        else {
            "name": next_level.names[language],
            "threshold": next_level.threshold,
            "points_needed": next_level.threshold - total,
        },
        "streak": _streak_out(streak),
        "recent": [_entry(entry, language) for entry in recent],
    }


def ledger_page(*, user_id: int, page: int, per_page: int, language: str) -> dict:
    """A learner's whole ledger, newest first."""
    find_user(user_id=user_id)
    where = LedgerEntry.user_id == user_id
    total = db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry).where(where))
    entries = db.session.scalars(
        sa.select(LedgerEntry)
        .where(where)
        .order_by(LedgerEntry.recorded_at.desc(), LedgerEntry.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return {
        "items": [_entry(entry, language) for entry in entries],
        "page": page,
        "per_page": per_page,
        "total": total,
    }


def _correction(user_id: int, subject: str) -> LedgerEntry | None:
    return db.session.scalar(
        sa.select(LedgerEntry).where(
            LedgerEntry.user_id == user_id,
            LedgerEntry.rule == rules.CORRECTION,
            LedgerEntry.subject == subject,
        )
    )


def correct_points(
    *,
    acting_admin: User,
    user_id: int,
    points: int,
    reason: str,
    client_id: uuid.UUID | None,
    entry_id: int | None,
    language: str,
) -> dict:
    """Add a compensating entry; the ledger is never edited.

    A correction of an entry counts in that entry's week and month, so past boards are right
    too. Sending the same client id again answers the first correction and adds nothing.
    """
    find_user(user_id=user_id)
    subject = str(client_id or uuid.uuid4())
    earlier = _correction(user_id, subject)
    if earlier is not None:
        if (earlier.points, earlier.reason, earlier.compensates_id) != (points, reason, entry_id):
            raise Conflict(f"The correction id {client_id} is already used for another one.")
        return _entry(earlier, language)
    at = utcnow()
    if entry_id is not None:
        compensated = db.session.get(LedgerEntry, entry_id)
        if compensated is None or compensated.user_id != user_id:
            raise InvalidInput(
                f"User {user_id} has no ledger entry {entry_id}.",
                errors={"entry": ["Not an entry of this user's ledger."]},
            )
        at = compensated.awarded_at
    made = record(
        user_id=user_id,
        rule=rules.CORRECTION,
        subject=subject,
        points=points,
        at=at,
        reason=reason,
        created_by_id=acting_admin.id,
        compensates_id=entry_id,
    )
    if made is not None:
        announce(user_id=user_id, rule=rules.CORRECTION, subject=subject, points=points, at=at)
    entry = _correction(user_id, subject)
    db.session.commit()
    current_app.logger.info(
        "points of user %s corrected by %s by admin %s", user_id, points, acting_admin.id
    )
    return _entry(entry, language)


@dataclass(frozen=True)
class Board:
    """A board as read at one moment: its first TOP_KEPT learners, ranked, and everyone's
    points in ascending order, which is what a rank is counted in."""

    top: tuple[tuple[int, dict], ...]  # (user id, entry)
    ascending: array

    def rank_of(self, points: int) -> int:
        """1 + how many have more points (standard competition ranking), by bisection."""
        return len(self.ascending) - bisect.bisect_right(self.ascending, points) + 1


# Built once: every leaderboard request runs it (by primary key), with no ORM entity to load.
_MY_POINTS = sa.select(PointsTotal.points).where(
    PointsTotal.period_kind == sa.bindparam("period_kind"),
    PointsTotal.period_start == sa.bindparam("period_start"),
    PointsTotal.user_id == sa.bindparam("user_id"),
)


def leaderboard(*, user: User, scope: str, period: str, limit: int) -> dict:
    """Top learners of a scope and period with standard competition ranks (1, 2, 2, 4), and
    mine; only learners who allow it are named. Reads the maintained totals, not the ledger.

    The board itself (its top and the points a rank is counted in) is kept per process for
    LEADERBOARD_CACHE_SECONDS, so that however many learners a board has, a request reads
    only my own points: ranks and names may lag by that long, my points never do.
    """
    parsed = scopes.parse_scope(scope)
    scopes.check_board_readable(parsed, user)
    start = period_start(period, brussels_day(utcnow()))
    board = _board(parsed, period, start)
    my_id = user.id  # user is often the current_user proxy: looked up once, not per entry
    me = None
    if scopes.includes(parsed, user):
        points = (
            db.session.connection().scalar(
                _MY_POINTS, {"period_kind": period, "period_start": start, "user_id": my_id}
            )
            or 0
        )
        me = {"rank": board.rank_of(points), "points": points}
    return {
        "scope": str(parsed),
        "period": period,
        "starts_on": None if period == ALL else start,
        "top": [{**entry, "is_me": user_id == my_id} for user_id, entry in board.top[:limit]],
        "me": me,
    }


def _board(parsed: scopes.Scope, period: str, start: date) -> Board:
    """The board of a scope and period, from this process's cache while it is fresh."""
    return kept(
        BOARDS,
        (str(parsed), period, start),
        lambda: _read_board(parsed, period, start),
        seconds=current_app.config["LEADERBOARD_CACHE_SECONDS"],
        size=BOARDS_KEPT,
    )


def _read_board(parsed: scopes.Scope, period: str, start: date) -> Board:
    """Two statements whatever the scope: the top with names, then every learner's points, a
    range of the board's covering index (a few hundred kilobytes at 100,000 learners)."""
    in_period = [PointsTotal.period_kind == period, PointsTotal.period_start == start]
    if parsed.kind == scopes.COMMUNE:
        # The totals carry their learner's commune: the board is a range of one index.
        in_scope = [PointsTotal.commune == parsed.ref]
    else:
        members = scopes.members(parsed)
        in_scope = [] if members is None else [PointsTotal.user_id.in_(members)]
    rows = db.session.execute(
        sa.select(
            PointsTotal.user_id, PointsTotal.points, User.display_name, User.leaderboard_visible
        )
        .join(User, User.id == PointsTotal.user_id)
        .where(*in_period, *in_scope)
        .order_by(PointsTotal.points.desc(), PointsTotal.user_id)
        .limit(TOP_KEPT)
    ).all()
    top: list[tuple[int, dict]] = []
    for position, row in enumerate(rows, start=1):
        tied = top and top[-1][1]["points"] == row.points
        entry = {
            "rank": top[-1][1]["rank"] if tied else position,
            "display_name": row.display_name if row.leaderboard_visible else None,
            "anonymous": not row.leaderboard_visible,
            "points": row.points,
        }
        top.append((row.user_id, entry))
    ascending = array(
        "q",
        db.session.scalars(
            sa.select(PointsTotal.points).where(*in_period, *in_scope).order_by(PointsTotal.points)
        ),
    )
    return Board(top=tuple(top), ascending=ascending)


def _status(challenge: Challenge, now: datetime) -> str:
    if challenge.met_at is not None:
        return MET
    if now < challenge.starts_at:
        return UPCOMING
    return ENDED if now >= challenge.ends_at else ACTIVE


def _status_condition(status: str, now: datetime):
    return {
        MET: Challenge.met_at.is_not(None),
        UPCOMING: sa.and_(Challenge.met_at.is_(None), Challenge.starts_at > now),
        ACTIVE: sa.and_(
            Challenge.met_at.is_(None), Challenge.starts_at <= now, Challenge.ends_at > now
        ),
        ENDED: sa.and_(Challenge.met_at.is_(None), Challenge.ends_at <= now),
    }[status]


def _challenge(challenge: Challenge, user: User, now: datetime) -> dict:
    return {
        "id": challenge.id,
        "scope": challenge.scope,
        "title": challenge.title,
        "description": challenge.description,
        "metric": challenge.metric,
        "target": challenge.target,
        "points": challenge.points,
        "starts_at": challenge.starts_at,
        "ends_at": challenge.ends_at,
        "status": _status(challenge, now),
        "met_at": challenge.met_at,
        "created_at": challenge.created_at,
        **challenges.standing(challenge, user_id=user.id),
    }


def _mine(user: User):
    """Challenges of the scopes I learn in or lead, and those I set."""
    return sa.or_(
        Challenge.created_by_id == user.id,
        *(
            sa.and_(Challenge.scope_kind == scope.kind, Challenge.scope_ref == scope.ref)
            for scope in scopes.scopes_of(user)
        ),
    )


def create_challenge(
    *,
    user: User,
    scope: str,
    title: str,
    metric: str,
    target: int,
    points: int,
    ends_at: datetime,
    starts_at: datetime | None = None,
    description: str | None = None,
    client_id: uuid.UUID | None = None,
) -> dict:
    """Set a shared goal for a class (its teacher), a circle (its facilitator) or a commune
    (an admin); admins may set any. Sending the same client id again answers the first one."""
    now = utcnow()
    if client_id is not None:
        earlier = db.session.scalar(
            sa.select(Challenge).where(
                Challenge.created_by_id == user.id, Challenge.client_id == str(client_id)
            )
        )
        if earlier is not None:
            return _challenge(earlier, user, now)
    parsed = scopes.parse_scope(scope)
    title = " ".join(title.split())
    errors = {}
    if not title:
        errors["title"] = ["Must not be blank."]
    if parsed.kind == scopes.GLOBAL:
        errors["scope"] = ["A challenge is for a class, a circle or a commune."]
    if metric not in rules.metrics():
        errors["metric"] = [f"One of {', '.join(rules.metrics())}."]
    starts_at = starts_at or now
    if ends_at <= max(starts_at, now):
        errors["ends_at"] = ["Must be after starts_at and in the future."]
    if errors:
        raise InvalidInput("This challenge cannot be set as it is.", errors=errors)
    scopes.check_can_set_challenge(parsed, user)
    challenge = Challenge(
        client_id=str(client_id) if client_id else None,
        scope_kind=parsed.kind,
        scope_ref=parsed.ref,
        title=title,
        description=description,
        metric=metric,
        target=target,
        points=points,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by_id=user.id,
        created_at=now,
    )
    db.session.add(challenge)
    db.session.flush()
    challenges.settle(challenge_id=challenge.id)
    db.session.commit()
    current_app.logger.info("challenge %s set for %s by user %s", challenge.id, parsed, user.id)
    return _challenge(challenge, user, utcnow())


def list_challenges(*, user: User, status: str | None, page: int, per_page: int) -> dict:
    """The challenges of my classes, circles and commune, and those I set, newest first."""
    now = utcnow()
    where = [_mine(user)]
    if status is not None:
        where.append(_status_condition(status, now))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Challenge).where(*where))
    found = db.session.scalars(
        sa.select(Challenge)
        .where(*where)
        .order_by(Challenge.starts_at.desc(), Challenge.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return {
        "items": [_challenge(challenge, user, now) for challenge in found],
        "page": page,
        "per_page": per_page,
        "total": total,
    }


def get_challenge(*, user: User, challenge_id: int) -> dict:
    """One challenge with its progress, for its scope's learners and leaders and admins."""
    challenge = db.session.scalar(
        sa.select(Challenge).where(Challenge.id == challenge_id, _mine(user))
    )
    if challenge is None and user.has_role("admin"):
        challenge = db.session.get(Challenge, challenge_id)
    if challenge is None:
        raise NotFound(f"There is no challenge {challenge_id} of yours.")
    return _challenge(challenge, user, utcnow())


def rebuild_totals() -> dict:
    """Recompute every points total and activity day from the ledger, which is the truth.

    For an audit, or after rows were written in bulk; the ledger is locked against new awards
    meanwhile on PostgreSQL (SQLite has one writer at a time anyway).
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("LOCK TABLE ledger_entries IN SHARE MODE"))
    totals: dict[tuple, int] = defaultdict(int)
    per_day = db.session.execute(
        sa.select(LedgerEntry.user_id, LedgerEntry.day, sa.func.sum(LedgerEntry.points))
        .where(LedgerEntry.points != 0)
        .group_by(LedgerEntry.user_id, LedgerEntry.day)
    )
    for user_id, day, points in per_day:
        for kind in PERIODS:
            totals[(kind, period_start(kind, day), user_id)] += points
    active = db.session.execute(
        sa.select(LedgerEntry.user_id, LedgerEntry.day)
        .where(LedgerEntry.rule.not_in(rules.OWN_RULES))
        .distinct()
    ).all()
    now = utcnow()
    db.session.execute(sa.delete(PointsTotal))
    db.session.execute(sa.delete(ActivityDay))
    if totals:
        db.session.execute(
            sa.insert(PointsTotal),
            [
                {
                    "period_kind": kind,
                    "period_start": start,
                    "user_id": user_id,
                    "points": points,
                    "updated_at": now,
                }
                for (kind, start, user_id), points in totals.items()
            ],
        )
        db.session.execute(
            sa.update(PointsTotal).values(
                commune=sa.select(User.commune)
                .where(User.id == PointsTotal.user_id)
                .scalar_subquery()
            )
        )
    if active:
        db.session.execute(
            sa.insert(ActivityDay), [{"user_id": user_id, "day": day} for user_id, day in active]
        )
    db.session.commit()
    return {"totals": len(totals), "activity_days": len(active)}


# Personal data -------------------------------------------------------------------------------


def export_personal_data(*, user_id: int) -> dict:
    """A person's points: every ledger row, the totals kept beside it, the days they took part,
    their streak as of today, and the challenges they set."""

    def rows(model, *order):
        found = db.session.scalars(
            sa.select(model).where(model.user_id == user_id).order_by(*order)
        )
        return [as_json(row) for row in found]

    activity_days = rows(ActivityDay, ActivityDay.day)
    streak = compute_streak(
        [date.fromisoformat(row["day"]) for row in activity_days],
        today=brussels_day(utcnow()),
        weekly_goal_days=current_app.config["STREAK_WEEKLY_GOAL_DAYS"],
    )
    challenges_set = db.session.scalars(
        sa.select(Challenge).where(Challenge.created_by_id == user_id).order_by(Challenge.id)
    )
    return {
        "ledger": rows(LedgerEntry, LedgerEntry.recorded_at, LedgerEntry.id),
        "totals": rows(PointsTotal, PointsTotal.period_kind, PointsTotal.period_start),
        "activity_days": activity_days,
        "streak": _streak_out(streak),
        "challenges_created": [as_json(challenge) for challenge in challenges_set],
    }


def erase_personal_data(*, user_id: int) -> None:
    """Keep a person's points as anonymous figures, without the words attached.

    Ledger rows stay, and with them the totals and activity days derived from them (which
    rebuild_totals would bring back anyway): challenges count them and leaderboard ranks rest
    on them, and an erased account is never named on a board. Correction reasons go, being
    words about the person. Challenges they set keep their title, which the group works
    towards, but no longer name who set them.
    """
    db.session.execute(
        sa.update(LedgerEntry).where(LedgerEntry.user_id == user_id).values(reason=None)
    )
    db.session.execute(
        sa.update(Challenge).where(Challenge.created_by_id == user_id).values(created_by_id=None)
    )
