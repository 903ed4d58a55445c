"""Learning circles: their schedule and meetings, facilitators, members, attendance and feedback.

Attendance and feedback outlive an erased account as anonymous rows (user_id set to NULL), so
a circle's counts and ratings stay true while the person disappears from every list.
"""

from datetime import datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.db import UTCDateTime, utcnow
from learning.extensions import db

DRAFT, PUBLISHED = "draft", "published"
JOINED, WAITLISTED = "joined", "waitlisted"
FACILITATOR, MEMBER = "facilitator", "member"
ONLINE = "online"
# Where a published circle and its meetings stand in time; the days circles meet on.
UPCOMING, IN_PROGRESS, FINISHED = "upcoming", "in_progress", "finished"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Circle(db.Model):
    """A peer group going through a course (or some of its modules) in weekly meetings."""

    __tablename__ = "circles"
    __table_args__ = (
        sa.CheckConstraint(sa.column("status").in_((DRAFT, PUBLISHED)), name="status_is_known"),
        sa.CheckConstraint("capacity > 0", name="capacity_is_positive"),
        sa.UniqueConstraint("created_by_id", "client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    # Module slugs the circle covers; empty means the whole course.
    modules: Mapped[list] = mapped_column(sa.JSON, default=list)
    title: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str] = mapped_column(sa.String(2), index=True)
    commune: Mapped[str] = mapped_column(sa.String(40), index=True)
    venue_name: Mapped[str | None] = mapped_column(sa.String(120))
    venue_address: Mapped[str | None] = mapped_column(sa.String(300))
    venue_lat: Mapped[float | None]
    venue_lng: Mapped[float | None]
    online_url: Mapped[str | None] = mapped_column(sa.String(500))
    capacity: Mapped[int]
    meeting_count: Mapped[int]
    duration_minutes: Mapped[int]
    # The weekly slot in Europe/Brussels: 0 is Monday.
    weekday: Mapped[int] = mapped_column(index=True)
    local_time: Mapped[time] = mapped_column(sa.Time)
    # Start of the first meeting and end of the last, kept in step with the meetings so that
    # discovery filters by status in SQL.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(sa.String(10), default=DRAFT, index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # The proposer's client-chosen id: a proposal sent again does not make a second circle.
    client_id: Mapped[str | None] = mapped_column(sa.String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    facilitators: Mapped[list["CircleFacilitator"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    meetings: Mapped[list["CircleMeeting"]] = relationship(
        back_populates="circle",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CircleMeeting.number",
    )


class CircleFacilitator(db.Model):
    """A person leading a circle; whoever proposes it, and the co-facilitators they add."""

    __tablename__ = "circle_facilitators"

    circle_id: Mapped[int] = mapped_column(
        sa.ForeignKey("circles.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CircleMembership(db.Model):
    """A seat in a circle, or a place on its waitlist, first come first served."""

    __tablename__ = "circle_memberships"
    __table_args__ = (
        sa.UniqueConstraint("circle_id", "user_id"),
        sa.CheckConstraint(sa.column("status").in_((JOINED, WAITLISTED)), name="status_is_known"),
        sa.Index("ix_circle_memberships_circle_status", "circle_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(sa.ForeignKey("circles.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(10))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CircleMeeting(db.Model):
    """One meeting; moving it raises its calendar SEQUENCE so subscribed calendars update."""

    __tablename__ = "circle_meetings"
    __table_args__ = (sa.UniqueConstraint("circle_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(sa.ForeignKey("circles.id", ondelete="CASCADE"))
    number: Mapped[int]
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sequence: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attendance_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reflection: Mapped[str | None] = mapped_column(sa.Text)
    reflection_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    circle: Mapped[Circle] = relationship(back_populates="meetings")


class MeetingAttendance(db.Model):
    """Whether a member came to a meeting; first_present_at marks the first time they did, when
    circle_meeting_attended was sent."""

    __tablename__ = "circle_attendance"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("circle_meetings.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    present: Mapped[bool]
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_present_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MeetingFeedback(db.Model):
    """A participant's one rating and comment on a meeting they attended."""

    __tablename__ = "circle_feedback"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "user_id"),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("circle_meetings.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    client_id: Mapped[str | None] = mapped_column(sa.String(36))
    rating: Mapped[int]
    comment: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CircleCompletion(db.Model):
    """Someone completed a circle, as facilitator or as a member who came to most meetings;
    circle_completed fires when the row is written."""

    __tablename__ = "circle_completions"

    circle_id: Mapped[int] = mapped_column(
        sa.ForeignKey("circles.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(sa.String(12))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CalendarFeed(db.Model):
    """The secret of a person's calendar feed URL; rotating it replaces the token."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
