"""Course-defined badge classes, badge assertions and the counts that rules are evaluated on.

Platform badge classes live in platform.yaml; a badge class is known everywhere by its slug,
so the slug is what an assertion names.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from learning.db import UTCDateTime, utcnow
from learning.extensions import db


class BadgeClass(db.Model):
    """A badge class a course's author defined, with the same fields as a platform badge."""

    __tablename__ = "badge_classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    course_slug: Mapped[str] = mapped_column(sa.String(64), index=True)
    name: Mapped[dict] = mapped_column(sa.JSON)
    description: Mapped[dict] = mapped_column(sa.JSON)
    criteria: Mapped[dict] = mapped_column(sa.JSON)
    colour: Mapped[str] = mapped_column(sa.String(7))
    icon: Mapped[str] = mapped_column(sa.String(20))
    # An authored image, stored sanitised; without one the image is drawn.
    image_svg: Mapped[str | None] = mapped_column(sa.Text)
    rule: Mapped[dict] = mapped_column(sa.JSON)
    # A copy of rule["type"], so that an event finds the rules it may satisfy by index.
    rule_type: Mapped[str] = mapped_column(sa.String(32), index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The course version whose badges.yaml last defined it; None when defined through the API.
    package_version: Mapped[str | None] = mapped_column(sa.String(32))
    # A package badge that a later version of its course no longer has: its awards stay valid
    # and verifiable, and nobody earns it any more.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class BadgeAssertion(db.Model):
    """A badge awarded to a learner: the hosted Open Badges assertion, at most one per badge.

    The recipient is the learner's email at the time of the award, hashed with a salt of its
    own; the email itself is never published.
    """

    __tablename__ = "badge_assertions"
    __table_args__ = (sa.UniqueConstraint("badge_slug", "user_id"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    badge_slug: Mapped[str] = mapped_column(sa.String(64))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    recipient_salt: Mapped[str] = mapped_column(sa.String(32))
    recipient_identity: Mapped[str] = mapped_column(sa.String(71))
    issued_on: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    certificate_number: Mapped[str | None] = mapped_column(sa.String(20), index=True)
    show_name: Mapped[bool] = mapped_column(default=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revocation_reason: Mapped[str | None] = mapped_column(sa.String(300))
    revoked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )


class BadgeCountedSubject(db.Model):
    """A thing counted once towards a learner's counter (a meeting, a pledge, a challenge)."""

    __tablename__ = "badge_counted_subjects"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    counter: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    subject: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class BadgeCounter(db.Model):
    """How many subjects a learner has of one counter; incremented with an upsert, whose row
    lock makes concurrent increments wait for each other, so none is lost."""

    __tablename__ = "badge_counters"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    counter: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
