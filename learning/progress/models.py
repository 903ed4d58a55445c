"""Enrolments, lesson progress, the events that made it, quiz attempts and module completions.

Lesson progress is keyed by the lesson's content hash, not by a version's row: a new version
of a course keeps a learner's progress on every lesson whose text did not change.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from learning.db import UTCDateTime, utcnow
from learning.extensions import db

ACCEPTED, DUPLICATE, REJECTED = "accepted", "duplicate", "rejected"
VERBS = ("started", "position", "completed")


class Enrolment(db.Model):
    """A learner taking a course; it remembers the version they are taking."""

    __tablename__ = "enrolments"
    __table_args__ = (sa.UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("course_versions.id"), index=True)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("course_versions.id"))


class LessonProgress(db.Model):
    """Where a learner stands on one lesson; client times, and the server's time of completion."""

    __tablename__ = "lesson_progress"
    __table_args__ = (sa.UniqueConstraint("user_id", "course_id", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    module_slug: Mapped[str] = mapped_column(sa.String(64))
    lesson_slug: Mapped[str] = mapped_column(sa.String(64))
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime)
    position: Mapped[float | None]
    position_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completion_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ProgressEvent(db.Model):
    """An event a client sent, with the answer it got, so that a resend gets the same answer."""

    __tablename__ = "progress_events"
    __table_args__ = (sa.UniqueConstraint("user_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(sa.String(36))
    course: Mapped[str] = mapped_column(sa.String(64))
    lesson: Mapped[str] = mapped_column(sa.String(64))
    verb: Mapped[str] = mapped_column(sa.String(10))
    client_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    position: Mapped[float | None]
    status: Mapped[str] = mapped_column(sa.String(10))
    reason: Mapped[str | None] = mapped_column(sa.String(200))


class QuizAttempt(db.Model):
    """One graded attempt at a quiz, with the answers given and the result."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "client_id"),
        sa.Index("ix_quiz_attempts_learner_quiz", "user_id", "course_id", "quiz_slug"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("course_versions.id"))
    module_slug: Mapped[str] = mapped_column(sa.String(64))
    quiz_slug: Mapped[str] = mapped_column(sa.String(64))
    quiz_hash: Mapped[str] = mapped_column(sa.String(64))
    client_id: Mapped[str | None] = mapped_column(sa.String(36))
    answers: Mapped[list] = mapped_column(sa.JSON)
    correct: Mapped[dict] = mapped_column(sa.JSON)
    score: Mapped[int]
    passed: Mapped[bool]
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ModuleCompletion(db.Model):
    """The first time a learner completed a module; module_completed fires when it is written."""

    __tablename__ = "module_completions"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    module_slug: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("course_versions.id"))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
