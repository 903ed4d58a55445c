"""Courses, their versions and the content of each version: modules, lessons, quizzes, assets.

A version is immutable once uploaded: publishing only changes its status. Progress and
certificates point at the version a learner actually took.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from learning.db import UTCDateTime, utcnow
from learning.extensions import db

DRAFT, PUBLISHED, RETIRED = "draft", "published", "retired"
VERSION_STATUSES = (DRAFT, PUBLISHED, RETIRED)


class Course(db.Model):
    """A course's permanent identity: its slug and the authors who may change it."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list["CourseVersion"]] = relationship(
        back_populates="course", cascade="all, delete-orphan"
    )
    authors: Mapped[list["CourseAuthor"]] = relationship(
        back_populates="course", cascade="all, delete-orphan"
    )


class CourseAuthor(db.Model):
    """A user who may upload and publish versions of a course."""

    __tablename__ = "course_authors"

    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship(back_populates="authors")


class CourseVersion(db.Model):
    """One uploaded version of a course package, with its course-level metadata."""

    __tablename__ = "course_versions"
    __table_args__ = (
        sa.UniqueConstraint("course_id", "version"),
        sa.CheckConstraint(sa.column("status").in_(VERSION_STATUSES), name="status_is_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[str] = mapped_column(sa.String(32))
    major: Mapped[int]
    minor: Mapped[int]
    patch: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(10), default=DRAFT, index=True)
    languages: Mapped[list] = mapped_column(sa.JSON)
    title: Mapped[dict] = mapped_column(sa.JSON)
    summary: Mapped[dict] = mapped_column(sa.JSON)
    tags: Mapped[list] = mapped_column(sa.JSON)
    audience: Mapped[list] = mapped_column(sa.JSON)
    estimated_minutes: Mapped[int]
    licence: Mapped[str] = mapped_column(sa.String(64))
    authors: Mapped[list] = mapped_column(sa.JSON)
    certifiable: Mapped[bool] = mapped_column(default=False)
    reflection_prompts: Mapped[list] = mapped_column(sa.JSON)
    # The badges the package defines (badges.yaml), given to the badges domain on publication.
    badges: Mapped[list] = mapped_column(sa.JSON, default=list, server_default="[]")
    # Delimited copies (",nl,fr,") and lower-cased text, so that the catalogue filters with
    # LIKE on SQLite and PostgreSQL alike.
    languages_key: Mapped[str] = mapped_column(sa.String(32))
    tags_key: Mapped[str] = mapped_column(sa.Text)
    search_text: Mapped[str] = mapped_column(sa.Text)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship(back_populates="versions")
    modules: Mapped[list["Module"]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="Module.position"
    )
    assets: Mapped[list["Asset"]] = relationship(cascade="all, delete-orphan")

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)


class Module(db.Model):
    """A module of a course version: an assignable unit with lessons and an optional quiz."""

    __tablename__ = "course_modules"
    __table_args__ = (sa.UniqueConstraint("version_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_versions.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(sa.String(64))
    position: Mapped[int]
    title: Mapped[dict] = mapped_column(sa.JSON)
    summary: Mapped[dict] = mapped_column(sa.JSON)
    prerequisites: Mapped[list] = mapped_column(sa.JSON)
    sequential: Mapped[bool] = mapped_column(default=False)
    sources: Mapped[list] = mapped_column(sa.JSON)

    version: Mapped[CourseVersion] = relationship(back_populates="modules")
    lessons: Mapped[list["Lesson"]] = relationship(
        back_populates="module", cascade="all, delete-orphan", order_by="Lesson.position"
    )
    quiz: Mapped["Quiz | None"] = relationship(
        back_populates="module", cascade="all, delete-orphan"
    )


class Lesson(db.Model):
    """A lesson in every language of its version, rendered and sanitised at upload."""

    __tablename__ = "course_lessons"
    __table_args__ = (sa.UniqueConstraint("version_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_versions.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_modules.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(sa.String(64))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(16))
    minutes: Mapped[int]
    video_url: Mapped[str | None] = mapped_column(sa.String(500))
    # Identical hashes across versions mean identical lessons, so progress carries over.
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    title: Mapped[dict] = mapped_column(sa.JSON)
    html: Mapped[dict] = deferred(mapped_column(sa.JSON))

    version: Mapped[CourseVersion] = relationship()
    module: Mapped[Module] = relationship(back_populates="lessons")


class Quiz(db.Model):
    """A module's quiz, answer key included; the key never leaves the server before grading."""

    __tablename__ = "course_quizzes"
    __table_args__ = (sa.UniqueConstraint("version_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_versions.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_modules.id", ondelete="CASCADE"), unique=True
    )
    slug: Mapped[str] = mapped_column(sa.String(64))
    title: Mapped[dict] = mapped_column(sa.JSON)
    pass_mark: Mapped[int]
    minutes: Mapped[int]
    questions: Mapped[list] = mapped_column(sa.JSON)
    # A pass carries over to a new version only while the quiz itself is unchanged.
    content_hash: Mapped[str] = mapped_column(sa.String(64))

    version: Mapped[CourseVersion] = relationship()
    module: Mapped[Module] = relationship(back_populates="quiz")


class Asset(db.Model):
    """An image of a course version, served read-only at a URL that names the version."""

    __tablename__ = "course_assets"
    __table_args__ = (sa.UniqueConstraint("version_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course_versions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    media_type: Mapped[str] = mapped_column(sa.String(40))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary))
