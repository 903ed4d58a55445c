"""Writing the ledger: one row per award, idempotent, capped per day, with its derived rows.

Nothing here commits: awards are written in the transaction of whatever earned them. Each
insert is safe on its own under concurrency (INSERT ... ON CONFLICT DO NOTHING on the ledger's
unique key; an upsert for the totals), whatever locks the caller holds.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from learning import events
from learning.db import utcnow
from learning.extensions import db
from learning.gamification.models import ActivityDay, LedgerEntry, PointsTotal
from learning.gamification.periods import PERIODS, brussels_day, period_start


def _insert(model):
    """An INSERT that can say ON CONFLICT, in the dialect of the session's database."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def already_awarded(*, user_id: int, rule: str, subject: str) -> bool:
    return (
        db.session.scalar(
            sa.select(LedgerEntry.id).where(
                LedgerEntry.user_id == user_id,
                LedgerEntry.rule == rule,
                LedgerEntry.subject == subject,
            )
        )
        is not None
    )


def paid_today(*, user_id: int, rule: str, at: datetime) -> int:
    """How many awards of a rule paid the learner on the Brussels day of at."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(LedgerEntry)
        .where(
            LedgerEntry.user_id == user_id,
            LedgerEntry.rule == rule,
            LedgerEntry.day == brussels_day(at),
            LedgerEntry.capped.is_(False),
        )
    )


def record(
    *,
    user_id: int,
    rule: str,
    subject: str,
    points: int,
    at: datetime,
    capped: bool = False,
    reason: str | None = None,
    created_by_id: int | None = None,
    compensates_id: int | None = None,
) -> int | None:
    """Append one ledger row and add its points to the learner's totals.

    Returns the new row's id, or None when (user, rule, subject) is already in the ledger,
    also when another transaction wrote it a moment ago.
    """
    inserted = db.session.scalar(
        _insert(LedgerEntry)
        .values(
            user_id=user_id,
            rule=rule,
            subject=subject,
            points=points,
            capped=capped,
            reason=reason,
            awarded_at=at,
            day=brussels_day(at),
            recorded_at=utcnow(),
            created_by_id=created_by_id,
            compensates_id=compensates_id,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "rule", "subject"])
        .returning(LedgerEntry.id)
    )
    if inserted is not None and points:
        _add_to_totals(user_id, points, at)
    return inserted


def _add_to_totals(user_id: int, points: int, at: datetime) -> None:
    """Add points to the week, month and all-time totals the award time falls in."""
    day = brussels_day(at)
    now = utcnow()
    statement = _insert(PointsTotal).values(
        [
            {
                "period_kind": kind,
                "period_start": period_start(kind, day),
                "user_id": user_id,
                "points": points,
                "updated_at": now,
            }
            for kind in PERIODS
        ]
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["period_kind", "period_start", "user_id"],
            set_={
                "points": PointsTotal.points + statement.excluded.points,
                "updated_at": statement.excluded.updated_at,
            },
        )
    )


def announce(*, user_id: int, rule: str, subject: str, points: int, at: datetime) -> None:
    """Tell other domains (badges: levels, streaks) about a new ledger row, once it counts."""
    events.points_awarded.send(
        "gamification", user_id=user_id, rule=rule, subject=subject, points=points, at=at
    )


def mark_active(*, user_id: int, at: datetime) -> None:
    """Remember the Brussels day of at as one on which the learner took part."""
    db.session.execute(
        _insert(ActivityDay)
        .values(user_id=user_id, day=brussels_day(at))
        .on_conflict_do_nothing(index_elements=["user_id", "day"])
    )
