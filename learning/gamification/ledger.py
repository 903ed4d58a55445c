"""Writing the ledger: one row per award, idempotent, capped per day, with its derived rows.

Nothing here commits: awards are written in the transaction of whatever earned them. Each
insert is safe on its own under concurrency (INSERT ... ON CONFLICT DO NOTHING on the ledger's
unique key; an upsert for the totals), whatever locks the caller holds.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from learning import events
from learning.accounts.models import User
from learning.db import utcnow
from learning.extensions import db
from learning.gamification.models import ActivityDay, LedgerEntry, PointsTotal
from learning.gamification.periods import PERIODS, brussels_day, period_start


def _insert(model):
    """An INSERT that can say ON CONFLICT, in the dialect of the session's database."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


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
        _add_to_totals([(user_id, points, at)])
    return inserted


@dataclass(frozen=True)
class Award:
    """An award a domain event earned, to be written with the others of its transaction."""

    user_id: int
    rule: str
    subject: str
    points: int
    daily_cap: int | None
    # What collective challenges count these awards as (the rule's metric), if anything.
    metric: str | None
    at: datetime


def record_awards(awards: list[Award]) -> list[tuple[Award, int]]:
    """Write a transaction's awards at once: each (user, rule, subject) once, within the daily
    caps, in the order given; the totals and activity days they make, in one statement each.

    Returns the awards newly written with the points they paid (0 when capped), in order.
    Six statements whatever the number of awards; a row another transaction wrote a moment ago
    is left out, as record() does.
    """
    users = sorted({award.user_id for award in awards})
    rules = sorted({award.rule for award in awards})
    known = {
        tuple(row)
        for row in db.session.execute(
            sa.select(LedgerEntry.user_id, LedgerEntry.rule, LedgerEntry.subject).where(
                LedgerEntry.user_id.in_(users),
                LedgerEntry.rule.in_(rules),
                LedgerEntry.subject.in_(sorted({award.subject for award in awards})),
            )
        )
    }
    paid: Counter = Counter()
    capped_rules = sorted({award.rule for award in awards if award.daily_cap is not None})
    if capped_rules:
        paid.update(
            {
                (user_id, rule, day): count
                for user_id, rule, day, count in db.session.execute(
                    sa.select(
                        LedgerEntry.user_id, LedgerEntry.rule, LedgerEntry.day, sa.func.count()
                    )
                    .where(
                        LedgerEntry.user_id.in_(users),
                        LedgerEntry.rule.in_(capped_rules),
                        LedgerEntry.day.in_(sorted({brussels_day(a.at) for a in awards})),
                        LedgerEntry.capped.is_(False),
                    )
                    .group_by(LedgerEntry.user_id, LedgerEntry.rule, LedgerEntry.day)
                )
            }
        )
    now = utcnow()
    chosen: dict[tuple, tuple[Award, dict]] = {}
    for award in awards:
        key = (award.user_id, award.rule, award.subject)
        if key in known or key in chosen:
            continue
        day = brussels_day(award.at)
        capped = (
            award.daily_cap is not None
            and paid[(award.user_id, award.rule, day)] >= award.daily_cap
        )
        if not capped:
            paid[(award.user_id, award.rule, day)] += 1
        chosen[key] = (
            award,
            {
                "user_id": award.user_id,
                "rule": award.rule,
                "subject": award.subject,
                "points": 0 if capped else award.points,
                "capped": capped,
                "reason": f"daily cap of {award.daily_cap} reached" if capped else None,
                "awarded_at": award.at,
                "day": day,
                "recorded_at": now,
                "created_by_id": None,
                "compensates_id": None,
            },
        )
    if not chosen:
        return []
    # One statement compiled once whatever the number of rows (an executemany that
    # SQLAlchemy sends as one multi-row INSERT ... RETURNING).
    ledger = LedgerEntry.__table__
    inserted = {
        tuple(row)
        for row in db.session.execute(
            _insert(ledger)
            .on_conflict_do_nothing(index_elements=["user_id", "rule", "subject"])
            .returning(ledger.c.user_id, ledger.c.rule, ledger.c.subject),
            [row for _, row in chosen.values()],
        )
    }
    written = [(award, row) for key, (award, row) in chosen.items() if key in inserted]
    _add_to_totals([(row["user_id"], row["points"], row["awarded_at"]) for _, row in written])
    days = sorted({(row["user_id"], row["day"]) for _, row in written})
    if days:
        db.session.execute(
            _insert(ActivityDay)
            .values([{"user_id": user_id, "day": day} for user_id, day in days])
            .on_conflict_do_nothing(index_elements=["user_id", "day"])
        )
    return [(award, row["points"]) for award, row in written]


def _add_to_totals(points_at: list[tuple[int, int, datetime]]) -> None:
    """Add each (user, points, at) to the week, month and all-time totals at falls in: one
    upsert of a row per learner and period, which also brings the learner's commune along."""
    totals: Counter = Counter()
    for user_id, points, at in points_at:
        day = brussels_day(at)
        for kind in PERIODS:
            totals[(kind, period_start(kind, day), user_id)] += points
    totals = Counter({key: points for key, points in totals.items() if points})
    if not totals:
        return
    now = utcnow()
    table = PointsTotal.__table__
    statement = _insert(table).values(
        commune=sa.select(User.commune).where(User.id == sa.bindparam("learner")).scalar_subquery()
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["period_kind", "period_start", "user_id"],
            set_={
                "points": table.c.points + statement.excluded.points,
                "commune": statement.excluded.commune,
                "updated_at": statement.excluded.updated_at,
            },
        ),
        [
            {
                "period_kind": kind,
                "period_start": start,
                "user_id": user_id,
                "learner": user_id,
                "points": points,
                "updated_at": now,
            }
            for (kind, start, user_id), points in sorted(totals.items())
        ],
    )


def announce(*, user_id: int, rule: str, subject: str, points: int, at: datetime) -> None:
    """Tell other domains (badges: levels, streaks) about a new ledger row, once it counts."""
    events.points_awarded.send(
        "gamification", user_id=user_id, rule=rule, subject=subject, points=points, at=at
    )


def move_commune(*, user_id: int, commune: str | None) -> None:
    """Keep a learner's totals on their commune's boards after they changed commune."""
    db.session.execute(
        sa.update(PointsTotal).where(PointsTotal.user_id == user_id).values(commune=commune)
    )
