"""Certifications, their submissions and reviews, and the yearly certificate counters.

A learner has one certification per course. It holds every submission and every review, so
the history stays whole: a learner never fails, they revise and submit again until an
assessor approves.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.db import UTCDateTime, utcnow
from learning.extensions import db

PENDING, CHANGES_REQUESTED, APPROVED = "pending", "changes_requested", "approved"
STATUSES = (PENDING, CHANGES_REQUESTED, APPROVED)
APPROVE, REQUEST_CHANGES = "approve", "request_changes"
DECISIONS = (APPROVE, REQUEST_CHANGES)
PERSONAL, WITH_OTHERS = "personal", "with_others"
ACTION_KINDS = (PERSONAL, WITH_OTHERS)


class Certification(db.Model):
    """A learner's way to the Carbon Literate certificate for one course."""

    __tablename__ = "certifications"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "course_slug"),
        sa.CheckConstraint(sa.column("status").in_(STATUSES), name="status_is_known"),
        sa.Index("ix_certifications_queue", "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_slug: Mapped[str] = mapped_column(sa.String(64))
    # The version the learner had completed when they first submitted, for the record.
    course_version: Mapped[str] = mapped_column(sa.String(32))
    # The course's title in each of its languages, as the certificate will print it.
    course_title: Mapped[dict] = mapped_column(sa.JSON)
    status: Mapped[str] = mapped_column(sa.String(20), default=PENDING)
    number: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    submissions: Mapped[list["CertificationSubmission"]] = relationship(
        back_populates="certification",
        cascade="all, delete-orphan",
        order_by="CertificationSubmission.number",
        lazy="selectin",
    )
    reviews: Mapped[list["CertificationReview"]] = relationship(
        back_populates="certification",
        cascade="all, delete-orphan",
        order_by="CertificationReview.id",
        lazy="selectin",
    )


class CertificationSubmission(db.Model):
    """What the learner sent one time: reflections and two pledged actions."""

    __tablename__ = "certification_submissions"
    __table_args__ = (sa.UniqueConstraint("certification_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certification_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certifications.id", ondelete="CASCADE")
    )
    number: Mapped[int]
    client_id: Mapped[str | None] = mapped_column(sa.String(36), unique=True)
    reflection: Mapped[str | None] = mapped_column(sa.Text)
    reflections: Mapped[dict] = mapped_column(sa.JSON)
    actions: Mapped[list] = mapped_column(sa.JSON)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    certification: Mapped[Certification] = relationship(back_populates="submissions")


class CertificationReview(db.Model):
    """An assessor's decision on one submission, with their comment."""

    __tablename__ = "certification_reviews"
    __table_args__ = (
        sa.CheckConstraint(sa.column("decision").in_(DECISIONS), name="decision_is_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certification_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certifications.id", ondelete="CASCADE"), index=True
    )
    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certification_submissions.id", ondelete="CASCADE"), unique=True
    )
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decision: Mapped[str] = mapped_column(sa.String(20))
    comment: Mapped[str] = mapped_column(sa.Text)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    certification: Mapped[Certification] = relationship(back_populates="reviews")


class CertificateCounter(db.Model):
    """The last certificate number given in a year; taken with an atomic upsert."""

    __tablename__ = "certificate_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int]
