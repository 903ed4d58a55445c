"""Collective challenges: measuring progress from the ledger and paying contributors once.

Progress counts the ledger rows of the challenge's metric awarded within [starts_at, ends_at)
to the learners of its scope (the points metric sums their points instead). When it reaches
the target, every learner who contributed gets the challenge's points once (rule
challenge_met, subject the challenge's id) and challenge_met is sent; a learner who first
contributes after that, still within the window, is paid the same way.

Nothing here commits: it runs in the transaction of the award that moved the challenge.
"""

from datetime import datetime

import sqlalchemy as sa

from learning import events
from learning.accounts.models import User
from learning.db import utcnow
from learning.errors import DomainError, NotFound
from learning.extensions import db
from learning.gamification import ledger, rules, scopes
from learning.gamification.models import Challenge, LedgerEntry

# A learner's award can wait for a challenge that another transaction is paying, while that
# one waits for the learner's totals row; PostgreSQL then cancels one of the two, which
# settles again once the other is done.
SETTLE_ATTEMPTS = 3
DEADLOCK_DETECTED = "40P01"


class Busy(DomainError):
    status = 503
    code = "busy"
    title = "Busy"


def scope_of(challenge: Challenge) -> scopes.Scope:
    return scopes.Scope(challenge.scope_kind, challenge.scope_ref)


def _members(challenge: Challenge):
    """The learners of the challenge's scope; a class deleted since has none."""
    try:
        return scopes.members(scope_of(challenge))
    except NotFound:
        return []


def _counted(challenge: Challenge) -> list:
    """The conditions on LedgerEntry that select the rows a challenge counts."""
    conditions = [
        LedgerEntry.awarded_at >= challenge.starts_at,
        LedgerEntry.awarded_at < challenge.ends_at,
        LedgerEntry.user_id.in_(_members(challenge)),
    ]
    if challenge.metric == rules.POINTS_METRIC:
        conditions += [LedgerEntry.rule != rules.CHALLENGE_MET, LedgerEntry.points != 0]
    else:
        conditions.append(LedgerEntry.rule.in_(rules.rules_counted_by(challenge.metric)))
    return conditions


def _measure(challenge: Challenge, column=None):
    """count(*) for a count metric, sum(points) for the points metric, of the rows matching."""
    if challenge.metric == rules.POINTS_METRIC:
        points = LedgerEntry.points if column is None else sa.case((column, LedgerEntry.points))
        return sa.func.coalesce(sa.func.sum(points), 0)
    if column is None:
        return sa.func.count()
    return sa.func.count(sa.case((column, 1)))


def _contributor_condition(challenge: Challenge):
    return LedgerEntry.points > 0 if challenge.metric == rules.POINTS_METRIC else sa.true()


def standing(challenge: Challenge, *, user_id: int | None = None) -> dict:
    """Progress, the number of contributors and, given a user, their own contribution."""
    contributor = _contributor_condition(challenge)
    mine = LedgerEntry.user_id == user_id
    progress, contributors, my_part = db.session.execute(
        sa.select(
            _measure(challenge),
            sa.func.count(sa.distinct(sa.case((contributor, LedgerEntry.user_id)))),
            _measure(challenge, mine),
        ).where(*_counted(challenge))
    ).one()
    return {"progress": progress, "contributors": contributors, "my_contribution": my_part}


def _contributors(challenge: Challenge) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(LedgerEntry.user_id)
            .where(*_counted(challenge), _contributor_condition(challenge))
            .distinct()
            .order_by(LedgerEntry.user_id)
        )
    )


def after_awards(*, user: User, awards: list[tuple[str | None, int, datetime]]) -> None:
    """Move the challenges a learner's awards of one transaction count for, each (metric,
    points, at): pay those already met, and see whether the others are met now."""
    counted = [
        (metric, at)
        for rule_metric, points, at in awards
        for metric in ([rule_metric] if rule_metric else [])
        + ([rules.POINTS_METRIC] if points > 0 else [])
    ]
    if not counted:
        return
    candidates = db.session.scalars(
        sa.select(Challenge)
        .where(
            Challenge.metric.in_(sorted({metric for metric, _ in counted})),
            Challenge.starts_at <= max(at for _, at in counted),
            Challenge.ends_at > min(at for _, at in counted),
        )
        .order_by(Challenge.id)
    ).all()
    moved = [
        challenge
        for challenge in candidates
        if any(
            metric == challenge.metric and challenge.starts_at <= at < challenge.ends_at
            for metric, at in counted
        )
    ]
    if not moved:
        return
    mine = set(scopes.scopes_of(user))
    for challenge in moved:
        if scope_of(challenge) not in mine:
            continue
        if challenge.met_at is not None:
            _pay(challenge, [user.id])
        else:
            settle(challenge_id=challenge.id, user_id=user.id)


def settle(*, challenge_id: int, user_id: int | None = None) -> None:
    """Lock the challenge, and mark it met and pay its contributors if its target is reached."""
    for attempt in range(1, SETTLE_ATTEMPTS + 1):
        try:
            with db.session.begin_nested():
                _settle_locked(challenge_id, user_id)
            return
        except sa.exc.OperationalError as error:
            if getattr(error.orig, "sqlstate", None) != DEADLOCK_DETECTED:
                raise
            if attempt == SETTLE_ATTEMPTS:
                raise Busy(
                    "Many learners moved the same challenge at once; send this again.",
                    headers={"Retry-After": "1"},
                ) from error


def _settle_locked(challenge_id: int, user_id: int | None) -> None:
    challenge = db.session.scalar(
        sa.select(Challenge)
        .where(Challenge.id == challenge_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if challenge.met_at is not None:
        payees = [user_id] if user_id is not None else []
    elif standing(challenge)["progress"] >= challenge.target:
        challenge.met_at = utcnow()
        payees = _contributors(challenge)
    else:
        return
    _pay(challenge, payees)


def _pay(challenge: Challenge, user_ids: list[int]) -> None:
    """The challenge's points to each learner once, in id order so that payers never cross."""
    at = utcnow()
    for user_id in sorted(user_ids):
        subject = str(challenge.id)
        paid = ledger.record(
            user_id=user_id,
            rule=rules.CHALLENGE_MET,
            subject=subject,
            points=challenge.points,
            at=at,
        )
        if paid is not None:
            ledger.announce(
                user_id=user_id,
                rule=rules.CHALLENGE_MET,
                subject=subject,
                points=challenge.points,
                at=at,
            )
            events.challenge_met.send(
                "gamification",
                user_id=user_id,
                challenge=challenge.id,
                scope=challenge.scope,
                points=challenge.points,
                at=at,
            )
