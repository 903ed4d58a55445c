"""Pledges to act, and the progress reports that learners make on them.

A pledge keeps the estimate it was made with: a later revision of the catalogue changes new
pledges, not the receipts learners already hold. Reports are never edited; the pledge carries
the state they add up to (status, kept_since, done_at, dropped_at) so that impact figures are
one query.
"""

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.db import UTCDateTime, utcnow
from learning.extensions import db

PLEDGED, ONGOING, DONE, DROPPED = "pledged", "ongoing", "done", "dropped"
STATUSES = (PLEDGED, ONGOING, DONE, DROPPED)
REPORTED_STATUSES = (ONGOING, DONE, DROPPED)
# What a report may say next; saying ongoing or done again adds a note to the history.
TRANSITIONS = {
    PLEDGED: (ONGOING, DONE, DROPPED),
    ONGOING: (ONGOING, DONE, DROPPED),
    DONE: (DONE, DROPPED),
    DROPPED: (),
}
KINDS = ("personal", "with_others")


class Pledge(db.Model):
    """A learner's commitment to one action: from the catalogue, or their own, self-estimated."""

    __tablename__ = "pledges"
    __table_args__ = (
        sa.CheckConstraint(
            "(action_slug IS NULL) <> (custom_title IS NULL)", name="catalogue_or_custom"
        ),
        sa.CheckConstraint(sa.column("status").in_(STATUSES), name="status_is_known"),
        sa.CheckConstraint(sa.column("kind").in_(KINDS), name="kind_is_known"),
        sa.CheckConstraint("kg_co2e_per_year >= 0", name="saving_is_not_negative"),
    )

    # Chosen by the client when it wants to retry safely, else by the server.
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    action_slug: Mapped[str | None] = mapped_column(sa.String(64))
    custom_title: Mapped[str | None] = mapped_column(sa.String(120))
    category: Mapped[str | None] = mapped_column(sa.String(40))
    kind: Mapped[str] = mapped_column(sa.String(12))
    kg_co2e_per_year: Mapped[float]
    status: Mapped[str] = mapped_column(sa.String(10), default=PLEDGED)
    pledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kept_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dropped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    reports: Mapped[list["PledgeReport"]] = relationship(
        back_populates="pledge",
        cascade="all, delete-orphan",
        order_by="PledgeReport.reported_at",
        lazy="selectin",
    )

    @property
    def self_estimated(self) -> bool:
        return self.action_slug is None


class PledgeReport(db.Model):
    """One progress report on a pledge: ongoing, done or dropped, with an optional note."""

    __tablename__ = "pledge_reports"
    __table_args__ = (
        sa.CheckConstraint(sa.column("status").in_(REPORTED_STATUSES), name="status_is_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    pledge_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("pledges.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(sa.String(10))
    note: Mapped[str | None] = mapped_column(sa.String(500))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pledge: Mapped[Pledge] = relationship(back_populates="reports")
