"""Classes, their teachers and learners, and the courses or modules assigned to them."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from learning.db import UTCDateTime, utcnow
from learning.extensions import db

# Letters and digits that cannot be misread or misheard: no 0/O, no 1/I/L.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8
# Where a learner stands on an assignment.
NOT_STARTED, IN_PROGRESS, DONE, LATE = "not_started", "in_progress", "done", "late"
ASSIGNMENT_STATES = (NOT_STARTED, IN_PROGRESS, DONE, LATE)


class SchoolClass(db.Model):
    """A group a teacher runs the course with: a school class or an adult-education group."""

    __tablename__ = "school_classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    school: Mapped[str] = mapped_column(sa.String(160))
    commune: Mapped[str] = mapped_column(sa.String(40))
    language: Mapped[str] = mapped_column(sa.String(2))
    school_year: Mapped[str] = mapped_column(sa.String(9))
    join_code: Mapped[str] = mapped_column(sa.String(JOIN_CODE_LENGTH), unique=True)
    join_code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    leaderboard_enabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClassTeacher(db.Model):
    """A teacher of a class: who created it, or a co-teacher they added."""

    __tablename__ = "class_teachers"

    class_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school_classes.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClassMember(db.Model):
    """A learner in a class, who joined with its code."""

    __tablename__ = "class_members"

    class_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school_classes.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Assignment(db.Model):
    """A course, or one module of it, that a class is to finish by a due time.

    Titles are kept as they read, in the class's language, when the teacher assigned them.
    """

    __tablename__ = "class_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school_classes.id", ondelete="CASCADE"), index=True
    )
    course_slug: Mapped[str] = mapped_column(sa.String(64))
    module_slug: Mapped[str | None] = mapped_column(sa.String(64))
    course_title: Mapped[str] = mapped_column(sa.Text)
    module_title: Mapped[str | None] = mapped_column(sa.Text)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
