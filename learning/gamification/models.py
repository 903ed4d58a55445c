"""The points ledger, the per-period totals kept beside it, activity days and challenges.

The ledger is append-only: an award is one row, a correction is another row that compensates
it. Totals and activity days are derived from the ledger in the same transaction, so that
leaderboards and streaks read a few indexed rows instead of the whole ledger.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from learning.db import UTCDateTime, utcnow
from learning.extensions import db

PERIOD_KINDS = ("week", "month", "all")
SCOPE_KINDS = ("class", "circle", "commune")


class LedgerEntry(db.Model):
    """One award of points (or a zero-point record of a capped one), or a correction.

    (user, rule, subject) is unique: an event delivered twice pays once.
    """

    __tablename__ = "ledger_entries"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "rule", "subject"),
        sa.Index("ix_ledger_entries_daily_cap", "user_id", "rule", "day"),
        sa.Index("ix_ledger_entries_recent", "user_id", "recorded_at"),
        sa.Index("ix_ledger_entries_rule_awarded_at", "rule", "awarded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(sa.String(64))
    subject: Mapped[str] = mapped_column(sa.String(200))
    points: Mapped[int]
    capped: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str | None] = mapped_column(sa.String(200))
    # When it happened (an offline event's own time), and its day in Brussels.
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    day: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    compensates_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("ledger_entries.id", ondelete="SET NULL")
    )


class PointsTotal(db.Model):
    """A learner's points in one week, one month or all time, updated with each award.

    The learner's commune is kept on the row (and moved with them), so that a commune's board
    is a short index scan like the global one, never a filter over the users table.
    """

    __tablename__ = "points_totals"
    __table_args__ = (
        sa.CheckConstraint(sa.column("period_kind").in_(PERIOD_KINDS), name="period_kind_is_known"),
        # A board's top N is the last entries of these, read backwards (ties, rarely many, are
        # put in user order on the way); a rank counts a range of them.
        sa.Index("ix_points_totals_board", "period_kind", "period_start", "points", "user_id"),
        sa.Index(
            "ix_points_totals_commune_board",
            "period_kind",
            "period_start",
            "commune",
            "points",
            "user_id",
        ),
    )

    period_kind: Mapped[str] = mapped_column(sa.String(5), primary_key=True)
    # The period's first day in Brussels: a Monday, the 1st of a month, or date.min for all time.
    period_start: Mapped[date] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    points: Mapped[int]
    # The learner's commune (users.commune), kept here for the commune boards.
    commune: Mapped[str | None] = mapped_column(sa.String(40))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ActivityDay(db.Model):
    """A Brussels day on which a learner earned points by taking part; streaks count these."""

    __tablename__ = "activity_days"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)


class Challenge(db.Model):
    """A shared goal for a class, a circle or a commune, met by the members together."""

    __tablename__ = "challenges"
    __table_args__ = (
        sa.UniqueConstraint("created_by_id", "client_id"),
        sa.CheckConstraint(sa.column("scope_kind").in_(SCOPE_KINDS), name="scope_kind_is_known"),
        sa.CheckConstraint("target > 0", name="target_is_positive"),
        sa.CheckConstraint("points >= 0", name="points_not_negative"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_it_starts"),
        sa.Index("ix_challenges_scope", "scope_kind", "scope_ref"),
        sa.Index("ix_challenges_metric_window", "metric", "starts_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str | None] = mapped_column(sa.String(36))
    scope_kind: Mapped[str] = mapped_column(sa.String(10))
    scope_ref: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str | None] = mapped_column(sa.String(1000))
    metric: Mapped[str] = mapped_column(sa.String(40))
    target: Mapped[int]
    points: Mapped[int]
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def scope(self) -> str:
        return f"{self.scope_kind}:{self.scope_ref}"
