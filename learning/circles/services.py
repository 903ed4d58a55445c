"""The rules of learning circles: proposing and publishing, discovery, signup and waitlist,
meetings, attendance, feedback, the end-of-circle report and calendar feeds.

Seats are counted under a lock on the circle's row (SELECT ... FOR UPDATE; SQLite has one
writer at a time) on every path that fills or frees one: signing up, leaving, a member
becoming a facilitator, a facilitator changing the capacity. Waitlisted people always get a
free seat before a newcomer does. Messages to people (welcome, reminders, notices) go to the
outbox in the same transaction as what caused them.

Who sees what: anyone sees published circles with their facilitators and counts; members see
each other's display names and the online link; facilitators see their members' names, the
attendance and the report. Drafts exist only for their facilitators.
"""

import math
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased, selectinload

from learning import events
from learning.accounts.models import User
from learning.actions import services as actions
from learning.brussels import TIMEZONE
from learning.circles import messages
from learning.circles.calendar import CalendarEntry, build_calendar
from learning.circles.models import (
    DRAFT,
    FACILITATOR,
    FINISHED,
    IN_PROGRESS,
    JOINED,
    MEMBER,
    PUBLISHED,
    UPCOMING,
    WAITLISTED,
    WEEKDAYS,
    CalendarFeed,
    Circle,
    CircleCompletion,
    CircleFacilitator,
    CircleMeeting,
    CircleMembership,
    MeetingAttendance,
    MeetingFeedback,
)
from learning.courses import catalogue
from learning.courses.models import Course, CourseVersion
from learning.db import InIds, as_json, utcnow
from learning.errors import Conflict, Forbidden, InvalidInput, NotFound
from learning.extensions import db
from learning.kept import forget, kept
from learning.notifications import services as outbox
from learning.progress import services as progress

# Reminders go out the day before a meeting at this time in Brussels.
REMINDER_TIME = time(10, 0)
# Fields a published circle may still change; the rest (course, place, schedule) are what
# people signed up for, and single meetings move one by one.
EDITABLE_WHEN_PUBLISHED = {"title", "description", "capacity"}
KM_PER_DEGREE = 111.195
PAGES = "circle-pages"
# Discovery pages a process keeps at once: each commune's first pages, and what was asked lately.
PAGES_KEPT = 2048


# Reading -----------------------------------------------------------------------------------


def _local(moment: datetime) -> datetime:
    return moment.astimezone(TIMEZONE)


def _find(circle_id: int, *, lock: bool = False) -> Circle:
    query = sa.select(Circle).where(Circle.id == circle_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    circle = db.session.scalar(query)
    if circle is None:
        raise NotFound(f"There is no circle {circle_id}.")
    return circle


def _facilitator_ids(circle: Circle) -> set[int]:
    return {facilitator.user_id for facilitator in circle.facilitators}


def _visible(circle_id: int, user: User | None, *, lock: bool = False) -> Circle:
    """The circle if this person may see it: drafts only exist for their facilitators."""
    circle = _find(circle_id, lock=lock)
    if circle.status == DRAFT and (user is None or user.id not in _facilitator_ids(circle)):
        raise NotFound(f"There is no circle {circle_id}.")
    return circle


def _facilitated(circle_id: int, user: User, *, lock: bool = False) -> Circle:
    circle = _visible(circle_id, user, lock=lock)
    if user.id not in _facilitator_ids(circle):
        raise Forbidden("Only the circle's facilitators may do this.")
    return circle


def _membership(circle_id: int, user_id: int) -> CircleMembership | None:
    return db.session.scalar(
        sa.select(CircleMembership).where(
            CircleMembership.circle_id == circle_id, CircleMembership.user_id == user_id
        )
    )


def _members(circle_id: int) -> list[User]:
    """Joined members, in the order they got their seat."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(CircleMembership, CircleMembership.user_id == User.id)
            .where(CircleMembership.circle_id == circle_id, CircleMembership.status == JOINED)
            .order_by(CircleMembership.joined_at, CircleMembership.id)
        )
    )


def _waitlist(circle_id: int) -> list[CircleMembership]:
    return list(
        db.session.scalars(
            sa.select(CircleMembership)
            .where(CircleMembership.circle_id == circle_id, CircleMembership.status == WAITLISTED)
            .order_by(CircleMembership.requested_at, CircleMembership.id)
        )
    )


def _status(circle: Circle, now: datetime) -> str:
    if circle.status == DRAFT:
        return DRAFT
    if now < circle.starts_at:
        return UPCOMING
    return FINISHED if now >= circle.ends_at else IN_PROGRESS


def _next_meeting(circle: Circle, now: datetime) -> CircleMeeting | None:
    """The meeting going on now or coming next: what a late joiner needs to know."""
    return next((m for m in circle.meetings if m.ends_at > now), None)


def _meeting(circle: Circle, number: int) -> CircleMeeting:
    for meeting in circle.meetings:
        if meeting.number == number:
            return meeting
    raise NotFound(f"Circle {circle.id} has no meeting {number}.")


def _venue_text(circle: Circle) -> str | None:
    if circle.venue_name is None:
        return None
    return f"{circle.venue_name}, {circle.venue_address}"


def _meeting_brief(meeting: CircleMeeting | None) -> dict | None:
    if meeting is None:
        return None
    return {
        "number": meeting.number,
        "starts_at": _local(meeting.starts_at),
        "ends_at": _local(meeting.ends_at),
    }


# Proposing ---------------------------------------------------------------------------------


def _published_course(slug: str) -> CourseVersion:
    try:
        return catalogue.published_version(slug=slug)
    except NotFound:
        raise InvalidInput(
            f"There is no published course {slug}.",
            errors={"course": [f"No published course {slug}."]},
        ) from None


def _check_modules(version: CourseVersion, modules: list[str]) -> list[str]:
    known = [module.slug for module in version.modules]
    unknown = [slug for slug in modules if slug not in known]
    if unknown:
        raise InvalidInput(
            "Some modules are not in the course.",
            errors={"modules": [f"Not in the course: {', '.join(unknown)}."]},
        )
    return [slug for slug in known if slug in modules]


def _check_place(commune: str, venue: dict | None, online_url: str | None) -> None:
    """An online circle has a link and no venue; any other circle meets at a venue."""
    if commune == "online":
        errors = {}
        if not online_url:
            errors["online_url"] = ["An online circle needs a link."]
        if venue is not None:
            errors["venue"] = ["An online circle has no venue."]
        if errors:
            raise InvalidInput("An online circle needs a link and no venue.", errors=errors)
    elif venue is None:
        raise InvalidInput(
            "A circle in a commune meets at a venue.",
            errors={"venue": ["Name the venue, or make the circle online."]},
        )


def _weekly_slots(first: datetime, count: int, minutes: int) -> list[tuple[datetime, datetime]]:
    """Meetings a week apart at the first meeting's wall-clock time in Brussels, so that 19:00
    stays 19:00 across the change to and from summer time; returned in UTC."""
    local = _local(first).replace(second=0, microsecond=0)
    slots = []
    for week in range(count):
        day = local.date() + timedelta(weeks=week)
        start = datetime.combine(day, local.time(), tzinfo=TIMEZONE).astimezone(UTC)
        slots.append((start, start + timedelta(minutes=minutes)))
    return slots


def _refresh_span(circle: Circle) -> None:
    circle.starts_at = min(meeting.starts_at for meeting in circle.meetings)
    circle.ends_at = max(meeting.ends_at for meeting in circle.meetings)


def _set_schedule(circle: Circle, first: datetime, count: int, minutes: int) -> None:
    """(Re)generate a draft's meetings; rows are updated in place so numbers stay unique."""
    now = utcnow()
    if first <= now:
        raise InvalidInput(
            "The first meeting must be in the future.",
            errors={"first_meeting": ["Must be in the future."]},
        )
    local = _local(first)
    circle.weekday = local.weekday()
    circle.local_time = local.time().replace(second=0, microsecond=0, tzinfo=None)
    circle.meeting_count = count
    circle.duration_minutes = minutes
    existing = {meeting.number: meeting for meeting in circle.meetings}
    for number, (start, end) in enumerate(_weekly_slots(first, count, minutes), start=1):
        meeting = existing.pop(number, None)
        if meeting is None:
            circle.meetings.append(
                CircleMeeting(number=number, starts_at=start, ends_at=end, updated_at=now)
            )
        elif (meeting.starts_at, meeting.ends_at) != (start, end):
            meeting.starts_at, meeting.ends_at = start, end
            meeting.sequence += 1
            meeting.updated_at = now
    for meeting in existing.values():
        circle.meetings.remove(meeting)
    _refresh_span(circle)


def _apply_place(circle: Circle, venue: dict | None) -> None:
    venue = venue or {}
    circle.venue_name = venue.get("name")
    circle.venue_address = venue.get("address")
    circle.venue_lat = venue.get("lat")
    circle.venue_lng = venue.get("lng")


def propose_circle(*, user: User, proposal: dict) -> dict:
    """Propose a circle as its facilitator; it stays a draft, seen only by its facilitators,
    until published. Sending the same client id again answers the circle it made."""
    client_id = str(proposal["id"]) if proposal.get("id") else None
    if client_id is not None:
        earlier = db.session.scalar(
            sa.select(Circle).where(Circle.created_by_id == user.id, Circle.client_id == client_id)
        )
        if earlier is not None:
            return _details(earlier, user)
    version = _published_course(proposal["course"])
    modules = _check_modules(version, proposal.get("modules") or [])
    _check_place(proposal["commune"], proposal.get("venue"), proposal.get("online_url"))
    circle = Circle(
        course_id=version.course_id,
        modules=modules,
        title=proposal["title"].strip(),
        description=proposal.get("description") or "",
        language=proposal["language"],
        commune=proposal["commune"],
        online_url=proposal.get("online_url"),
        capacity=proposal["capacity"],
        status=DRAFT,
        created_by_id=user.id,
        client_id=client_id,
        facilitators=[CircleFacilitator(user_id=user.id)],
    )
    _apply_place(circle, proposal.get("venue"))
    _set_schedule(
        circle, proposal["first_meeting"], proposal["meetings"], proposal["duration_minutes"]
    )
    db.session.add(circle)
    db.session.flush()
    details = _details(circle, user)
    db.session.commit()
    return details


def update_circle(*, user: User, circle_id: int, changes: dict) -> dict:
    """Change a draft freely; a published circle changes only its title, description and
    capacity (a larger one seats the waitlist)."""
    circle = _facilitated(circle_id, user, lock=True)
    changes = {name: value for name, value in changes.items() if name != "timezone"}
    if circle.status == PUBLISHED:
        fixed = sorted(set(changes) - EDITABLE_WHEN_PUBLISHED)
        if fixed:
            raise Conflict(
                f"A published circle keeps its {', '.join(fixed)}; "
                "move single meetings with PATCH /circles/{id}/meetings/{number}."
            )
    if "course" in changes or "modules" in changes:
        slug = changes.get("course") or _course_slug(circle.course_id)
        version = _published_course(slug)
        circle.course_id = version.course_id
        kept = circle.modules if "course" not in changes else []
        circle.modules = _check_modules(version, changes.get("modules", kept) or [])
    if {"commune", "venue", "online_url"} & set(changes):
        venue = changes["venue"] if "venue" in changes else _venue_of(circle)
        commune = changes.get("commune", circle.commune)
        online_url = changes.get("online_url", circle.online_url)
        _check_place(commune, venue, online_url)
        circle.commune, circle.online_url = commune, online_url
        _apply_place(circle, venue)
    for name in ("title", "description", "language"):
        if name in changes:
            setattr(circle, name, changes[name].strip() if name == "title" else changes[name])
    if {"first_meeting", "meetings", "duration_minutes"} & set(changes):
        _set_schedule(
            circle,
            changes.get("first_meeting", circle.meetings[0].starts_at),
            changes.get("meetings", circle.meeting_count),
            changes.get("duration_minutes", circle.duration_minutes),
        )
    if "capacity" in changes:
        _change_capacity(circle, changes["capacity"])
    db.session.flush()
    details = _details(circle, user)
    db.session.commit()
    return details


def _course_slug(course_id: int) -> str:
    return db.session.scalar(sa.select(Course.slug).where(Course.id == course_id))


def _venue_of(circle: Circle) -> dict | None:
    if circle.venue_name is None:
        return None
    return {
        "name": circle.venue_name,
        "address": circle.venue_address,
        "lat": circle.venue_lat,
        "lng": circle.venue_lng,
    }


def _change_capacity(circle: Circle, capacity: int) -> None:
    joined = _joined_count(circle.id)
    if capacity < joined:
        raise Conflict(
            f"{joined} people hold a seat; the capacity cannot go below that.",
            errors={"capacity": [f"At least {joined}."]},
        )
    circle.capacity = capacity
    if circle.status == PUBLISHED:
        _fill_seats(circle)


def publish_circle(*, user: User, circle_id: int) -> dict:
    """Publish a draft so people can find and join it; publishing again changes nothing."""
    circle = _facilitated(circle_id, user, lock=True)
    if circle.status == DRAFT:
        now = utcnow()
        if circle.starts_at <= now:
            raise Conflict("The first meeting has passed; move it before publishing.")
        try:
            catalogue.published_version(slug=_course_slug(circle.course_id))
        except NotFound:
            raise Conflict("The circle's course is no longer published.") from None
        circle.status = PUBLISHED
        circle.published_at = now
        for facilitator_id in sorted(_facilitator_ids(circle)):
            _queue_reminders(circle, db.session.get(User, facilitator_id))
    details = _details(circle, user)
    db.session.commit()
    forget(PAGES)
    return details


def add_facilitator(*, user: User, circle_id: int, facilitator_id: int) -> dict:
    """Add a co-facilitator; a member who becomes one gives up their seat or waitlist place."""
    circle = _facilitated(circle_id, user, lock=True)
    other = db.session.get(User, facilitator_id)
    if other is None:
        raise NotFound(f"There is no user {facilitator_id}.")
    if facilitator_id not in _facilitator_ids(circle):
        membership = _membership(circle.id, facilitator_id)
        if membership is not None:
            _remove_membership(circle, membership)
        circle.facilitators.append(CircleFacilitator(user_id=facilitator_id))
        if circle.status == PUBLISHED:
            _queue_reminders(circle, other)
    db.session.flush()
    details = _details(circle, user)
    db.session.commit()
    return details


def remove_facilitator(*, user: User, circle_id: int, facilitator_id: int) -> dict:
    """Remove a facilitator (oneself included); a circle keeps at least one."""
    circle = _facilitated(circle_id, user, lock=True)
    leaving = next((f for f in circle.facilitators if f.user_id == facilitator_id), None)
    if leaving is not None:
        if len(circle.facilitators) == 1:
            raise Conflict("A circle needs a facilitator; add another one first.")
        circle.facilitators.remove(leaving)
        outbox.cancel(key_prefix=f"circle:{circle.id}:", user_id=facilitator_id)
    db.session.flush()
    details = _details(circle, user)
    db.session.commit()
    return details


# Signup and waitlist -----------------------------------------------------------------------


def _joined_count(circle_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(CircleMembership)
        .where(CircleMembership.circle_id == circle_id, CircleMembership.status == JOINED)
    )


def _waiting_ahead(ahead, *, circle_id, requested_at, membership_id):
    """Whether `ahead` (a membership entity or alias) waits before the membership described:
    first asked, first served, ties broken by id. Values or columns, so that one membership's
    position and a page's positions in one statement count alike."""
    return sa.and_(
        ahead.circle_id == circle_id,
        ahead.status == WAITLISTED,
        sa.or_(
            ahead.requested_at < requested_at,
            sa.and_(ahead.requested_at == requested_at, ahead.id < membership_id),
        ),
    )


def _waitlist_position(membership: CircleMembership) -> int:
    ahead = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(CircleMembership)
        .where(
            _waiting_ahead(
                CircleMembership,
                circle_id=membership.circle_id,
                requested_at=membership.requested_at,
                membership_id=membership.id,
            )
        )
    )
    return ahead + 1


def _signup_answer(circle: Circle, membership: CircleMembership) -> dict:
    joined = membership.status == JOINED
    return {
        "status": membership.status,
        "waitlist_position": None if joined else _waitlist_position(membership),
        "next_meeting": _meeting_brief(_next_meeting(circle, utcnow())) if joined else None,
    }


def _fill_seats(circle: Circle) -> None:
    """Seat the waitlist, first come first served, while seats are free and meetings remain.

    Callers hold the circle's lock. A seat freed outside this domain (an erased account) is
    filled here at the circle's next write.
    """
    now = utcnow()
    if circle.status != PUBLISHED or _next_meeting(circle, now) is None:
        return
    free = circle.capacity - _joined_count(circle.id)
    for membership in _waitlist(circle.id)[: max(free, 0)]:
        membership.status = JOINED
        membership.joined_at = now
        _greet(circle, membership, kind=messages.PROMOTED)
    db.session.flush()


def sign_up(*, user: User, circle_id: int) -> dict:
    """Take a seat, or a place on the waitlist when the circle is full; asking again answers
    where I stand. Joining is open until the last meeting ends."""
    circle = _visible(circle_id, user, lock=True)
    if circle.status != PUBLISHED:
        raise Conflict("Publish the circle before people can join it.")
    if user.id in _facilitator_ids(circle):
        raise Conflict("You facilitate this circle; facilitators do not take a seat.")
    membership = _membership(circle.id, user.id)
    if membership is None:
        now = utcnow()
        if _next_meeting(circle, now) is None:
            raise Conflict("This circle has had its last meeting.")
        _fill_seats(circle)
        seated = _joined_count(circle.id) < circle.capacity
        membership = CircleMembership(
            circle_id=circle.id,
            user_id=user.id,
            status=JOINED if seated else WAITLISTED,
            requested_at=now,
            joined_at=now if seated else None,
        )
        db.session.add(membership)
        db.session.flush()
        if seated:
            _greet(circle, membership, kind=messages.WELCOME)
    answer = _signup_answer(circle, membership)
    db.session.commit()
    forget(PAGES)
    return answer


def _remove_membership(circle: Circle, membership: CircleMembership) -> None:
    seated = membership.status == JOINED
    db.session.delete(membership)
    db.session.flush()
    outbox.cancel(key_prefix=f"circle:{circle.id}:", user_id=membership.user_id)
    if seated:
        _fill_seats(circle)


def leave(*, user: User, circle_id: int) -> None:
    """Give up my seat (the first on the waitlist gets it) or my waitlist place; leaving twice
    changes nothing. A finished circle keeps its members."""
    circle = _visible(circle_id, user, lock=True)
    membership = _membership(circle.id, user.id)
    if membership is not None:
        if _status(circle, utcnow()) == FINISHED:
            raise Conflict("This circle is over; its members stay on its record.")
        _remove_membership(circle, membership)
    db.session.commit()
    forget(PAGES)


# Messages ------------------------------------------------------------------------------------


def _reminder_at(meeting: CircleMeeting) -> datetime:
    day_before = _local(meeting.starts_at).date() - timedelta(days=1)
    return datetime.combine(day_before, REMINDER_TIME, tzinfo=TIMEZONE).astimezone(UTC)


def _render(circle: Circle, kind: str, person: User, **moments):
    return messages.render(
        kind,
        person.locale,
        title=circle.title,
        venue=_venue_text(circle),
        online_url=circle.online_url,
        **moments,
    )


def _queue_reminder(circle: Circle, meeting: CircleMeeting, person: User, now: datetime) -> None:
    """A reminder for the day before, if that is still to come; a meeting sooner than that is
    announced by the welcome or notice that caused this."""
    send_at = _reminder_at(meeting)
    if send_at <= now:
        return
    subject, body = _render(
        circle, messages.REMINDER, person, number=meeting.number, when=meeting.starts_at
    )
    outbox.queue(
        user_id=person.id,
        kind=messages.REMINDER,
        subject=subject,
        body=body,
        send_after=send_at,
        expires_at=meeting.starts_at,
        dedupe_key=(
            f"circle:{circle.id}:meeting:{meeting.id}:reminder:{meeting.sequence}:user:{person.id}"
        ),
    )


def _queue_reminders(circle: Circle, person: User) -> None:
    now = utcnow()
    for meeting in circle.meetings:
        _queue_reminder(circle, meeting, person, now)


def _greet(circle: Circle, membership: CircleMembership, *, kind: str) -> None:
    """Welcome a new member, or tell a waitlisted one they have a seat, with the next meeting;
    then queue their reminders."""
    person = db.session.get(User, membership.user_id)
    upcoming = _next_meeting(circle, utcnow())
    subject, body = _render(circle, kind, person, when=upcoming.starts_at)
    outbox.queue(
        user_id=person.id,
        kind=kind,
        subject=subject,
        body=body,
        expires_at=circle.ends_at,
        dedupe_key=f"circle:{circle.id}:{kind}:{membership.id}",
    )
    _queue_reminders(circle, person)


# Meetings ----------------------------------------------------------------------------------


@dataclass
class _Viewer:
    """Who is looking at a circle, and so what they may see."""

    user: User | None
    facilitator: bool = False
    membership: CircleMembership | None = None
    attended: dict[int, bool] = field(default_factory=dict)
    feedback: dict[int, MeetingFeedback] = field(default_factory=dict)

    @property
    def member(self) -> bool:
        return self.membership is not None and self.membership.status == JOINED

    @property
    def insider(self) -> bool:
        return self.facilitator or self.member


def _viewer(circle: Circle, user: User | None) -> _Viewer:
    if user is None:
        return _Viewer(user=None)
    viewer = _Viewer(
        user=user,
        facilitator=user.id in _facilitator_ids(circle),
        membership=_membership(circle.id, user.id),
    )
    if viewer.member:
        meeting_ids = {meeting.id: meeting.number for meeting in circle.meetings}
        for row in db.session.scalars(
            sa.select(MeetingAttendance).where(
                MeetingAttendance.user_id == user.id,
                MeetingAttendance.meeting_id.in_(meeting_ids),
            )
        ):
            viewer.attended[meeting_ids[row.meeting_id]] = row.present
        for row in db.session.scalars(
            sa.select(MeetingFeedback).where(
                MeetingFeedback.user_id == user.id, MeetingFeedback.meeting_id.in_(meeting_ids)
            )
        ):
            viewer.feedback[meeting_ids[row.meeting_id]] = row
    return viewer


def _meeting_status(meeting: CircleMeeting, now: datetime) -> str:
    if now < meeting.starts_at:
        return UPCOMING
    return FINISHED if now >= meeting.ends_at else IN_PROGRESS


def _present_counts(circle: Circle) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(MeetingAttendance.meeting_id, sa.func.count())
        .join(CircleMeeting, CircleMeeting.id == MeetingAttendance.meeting_id)
        .where(CircleMeeting.circle_id == circle.id, MeetingAttendance.present)
        .group_by(MeetingAttendance.meeting_id)
    ).all()
    return dict(rows)


def _meetings(circle: Circle, viewer: _Viewer) -> list[dict]:
    now = utcnow()
    present = _present_counts(circle) if viewer.facilitator else {}
    items = []
    for meeting in circle.meetings:
        recorded = meeting.attendance_recorded_at is not None
        feedback = viewer.feedback.get(meeting.number)
        items.append(
            {
                "number": meeting.number,
                "starts_at": _local(meeting.starts_at),
                "ends_at": _local(meeting.ends_at),
                "duration_minutes": int((meeting.ends_at - meeting.starts_at).total_seconds())
                // 60,
                "status": _meeting_status(meeting, now),
                "sequence": meeting.sequence,
                "attendance_recorded": recorded,
                "attended": viewer.attended.get(meeting.number, False if recorded else None)
                if viewer.member
                else None,
                "my_feedback": None
                if feedback is None
                else {"rating": feedback.rating, "comment": feedback.comment},
                "present": present.get(meeting.id, 0) if viewer.facilitator and recorded else None,
                "reflection": meeting.reflection if viewer.facilitator else None,
            }
        )
    return items


def list_meetings(*, user: User | None, circle_id: int) -> dict:
    """The schedule; members see whether they came, facilitators how many did."""
    circle = _visible(circle_id, user)
    return {"items": _meetings(circle, _viewer(circle, user))}


def move_meeting(*, user: User, circle_id: int, number: int, changes: dict) -> dict:
    """Move one meeting (the others stay), keeping the meetings in order and not overlapping.

    Its calendar SEQUENCE rises; members and the other facilitators get a notice, and the
    day-before reminders are replaced.
    """
    circle = _facilitated(circle_id, user, lock=True)
    meeting = _meeting(circle, number)
    now = utcnow()
    if meeting.starts_at <= now:
        raise Conflict("This meeting has started or is over; it can no longer move.")
    start = changes.get("starts_at", meeting.starts_at).astimezone(UTC)
    start = start.replace(second=0, microsecond=0)
    minutes = changes.get(
        "duration_minutes", int((meeting.ends_at - meeting.starts_at).total_seconds()) // 60
    )
    end = start + timedelta(minutes=minutes)
    _check_slot(circle, meeting, start, end, now)
    if (start, end) != (meeting.starts_at, meeting.ends_at):
        was = meeting.starts_at
        meeting.starts_at, meeting.ends_at = start, end
        meeting.sequence += 1
        meeting.updated_at = now
        _refresh_span(circle)
        if circle.status == PUBLISHED:
            _announce_move(circle, meeting, was, mover=user)
    db.session.flush()
    viewer = _viewer(circle, user)
    item = next(m for m in _meetings(circle, viewer) if m["number"] == number)
    db.session.commit()
    return item


def _check_slot(circle: Circle, meeting: CircleMeeting, start, end, now) -> None:
    if start <= now:
        raise InvalidInput(
            "A meeting moves to the future.", errors={"starts_at": ["Must be in the future."]}
        )
    index = circle.meetings.index(meeting)
    before = circle.meetings[index - 1] if index > 0 else None
    after = circle.meetings[index + 1] if index + 1 < len(circle.meetings) else None
    if before is not None and start < before.ends_at:
        raise InvalidInput(
            f"Meeting {meeting.number} must start after meeting {before.number} ends.",
            errors={"starts_at": [f"At or after {_local(before.ends_at).isoformat()}."]},
        )
    if after is not None and end > after.starts_at:
        raise InvalidInput(
            f"Meeting {meeting.number} must end before meeting {after.number} starts.",
            errors={"starts_at": [f"Ending by {_local(after.starts_at).isoformat()}."]},
        )


def _announce_move(circle: Circle, meeting: CircleMeeting, was: datetime, *, mover: User):
    outbox.cancel(key_prefix=f"circle:{circle.id}:meeting:{meeting.id}:reminder:")
    now = utcnow()
    people = _members(circle.id) + [
        db.session.get(User, user_id) for user_id in sorted(_facilitator_ids(circle))
    ]
    for person in people:
        if person.id != mover.id:
            subject, body = _render(
                circle,
                messages.MOVED,
                person,
                number=meeting.number,
                when=meeting.starts_at,
                was=was,
            )
            outbox.queue(
                user_id=person.id,
                kind=messages.MOVED,
                subject=subject,
                body=body,
                expires_at=meeting.starts_at,
                dedupe_key=(
                    f"circle:{circle.id}:meeting:{meeting.id}:moved:{meeting.sequence}"
                    f":user:{person.id}"
                ),
            )
        _queue_reminder(circle, meeting, person, now)


# Attendance, feedback, reflections ---------------------------------------------------------


def _started_meeting(circle: Circle, number: int, what: str) -> CircleMeeting:
    if circle.status != PUBLISHED:
        raise Conflict("The circle is not published.")
    meeting = _meeting(circle, number)
    if meeting.starts_at > utcnow():
        raise Conflict(f"{what} opens when the meeting starts.")
    return meeting


def _attendance(circle: Circle, meeting: CircleMeeting) -> dict:
    rows = {
        row.user_id: row.present
        for row in db.session.scalars(
            sa.select(MeetingAttendance).where(
                MeetingAttendance.meeting_id == meeting.id, MeetingAttendance.user_id.is_not(None)
            )
        )
    }
    people = [
        {"id": member.id, "display_name": member.display_name, "present": rows.get(member.id)}
        for member in _members(circle.id)
    ]
    return {
        "meeting": meeting.number,
        "recorded_at": meeting.attendance_recorded_at,
        "members": people,
    }


def meeting_attendance(*, user: User, circle_id: int, number: int) -> dict:
    """Who came to a meeting, as far as recorded: for the facilitators."""
    circle = _facilitated(circle_id, user)
    return _attendance(circle, _meeting(circle, number))


def record_attendance(*, user: User, circle_id: int, number: int, present: list[int]) -> dict:
    """Record who came: the members listed were there, the other members were not.

    circle_meeting_attended fires the first time someone is recorded present at a meeting;
    once the last meeting has started, recording attendance completes the circle for its
    facilitators and for the members who came to most meetings (circle_completed, once).
    """
    circle = _facilitated(circle_id, user, lock=True)
    meeting = _started_meeting(circle, number, "Attendance")
    members = {member.id for member in _members(circle.id)}
    strangers = sorted(set(present) - members)
    if strangers:
        raise InvalidInput(
            "Only the circle's members can be recorded.",
            errors={"present": [f"Not members: {', '.join(map(str, strangers))}."]},
        )
    now = utcnow()
    course = _course_slug(circle.course_id)
    rows = {
        row.user_id: row
        for row in db.session.scalars(
            sa.select(MeetingAttendance).where(MeetingAttendance.meeting_id == meeting.id)
        )
    }
    for user_id in sorted(members):
        row = rows.get(user_id)
        if row is None:
            row = MeetingAttendance(meeting_id=meeting.id, user_id=user_id, present=False)
            db.session.add(row)
        row.present = user_id in present
        row.recorded_at = now
        if row.present and row.first_present_at is None:
            row.first_present_at = now
            events.circle_meeting_attended.send(
                "circles",
                user_id=user_id,
                circle_id=circle.id,
                course=course,
                meeting=meeting.number,
                at=meeting.starts_at,
            )
    meeting.attendance_recorded_at = now
    db.session.flush()
    _record_completions(circle, course, now)
    answer = _attendance(circle, meeting)
    db.session.commit()
    return answer


def _record_completions(circle: Circle, course: str, now: datetime) -> None:
    if circle.meetings[-1].starts_at > now:
        return
    done = set(
        db.session.scalars(
            sa.select(CircleCompletion.user_id).where(CircleCompletion.circle_id == circle.id)
        )
    )
    attended = dict(
        db.session.execute(
            sa.select(MeetingAttendance.user_id, sa.func.count())
            .join(CircleMeeting, CircleMeeting.id == MeetingAttendance.meeting_id)
            .where(CircleMeeting.circle_id == circle.id, MeetingAttendance.present)
            .group_by(MeetingAttendance.user_id)
        ).all()
    )
    completers = [(user_id, FACILITATOR) for user_id in sorted(_facilitator_ids(circle))]
    completers += [
        (member.id, MEMBER)
        for member in _members(circle.id)
        if 2 * attended.get(member.id, 0) > circle.meeting_count
    ]
    for user_id, role in completers:
        if user_id in done:
            continue
        db.session.add(
            CircleCompletion(circle_id=circle.id, user_id=user_id, role=role, completed_at=now)
        )
        events.circle_completed.send(
            "circles", user_id=user_id, circle_id=circle.id, course=course, role=role, at=now
        )


def give_feedback(
    *, user: User, circle_id: int, number: int, rating: int, comment: str | None, client_id
) -> dict:
    """Rate a meeting I attended (1-5), with an optional comment, once.

    Resending the same client id answers the feedback already given.
    """
    circle = _visible(circle_id, user, lock=True)
    meeting = _started_meeting(circle, number, "Feedback")
    if user.id in _facilitator_ids(circle):
        raise Forbidden("Facilitators write a reflection on a meeting instead.")
    attendance = db.session.scalar(
        sa.select(MeetingAttendance).where(
            MeetingAttendance.meeting_id == meeting.id, MeetingAttendance.user_id == user.id
        )
    )
    if attendance is None:
        if meeting.attendance_recorded_at is None and _membership(circle.id, user.id):
            raise Conflict("Feedback opens once the facilitator has recorded attendance.")
        raise Forbidden("Only people who attended this meeting may rate it.")
    if not attendance.present:
        raise Forbidden("Only people who attended this meeting may rate it.")
    given = db.session.scalar(
        sa.select(MeetingFeedback).where(
            MeetingFeedback.meeting_id == meeting.id, MeetingFeedback.user_id == user.id
        )
    )
    if given is not None:
        if client_id is not None and given.client_id == str(client_id):
            return _feedback_answer(meeting, given)
        raise Conflict("You already gave feedback on this meeting.")
    given = MeetingFeedback(
        meeting_id=meeting.id,
        user_id=user.id,
        client_id=str(client_id) if client_id else None,
        rating=rating,
        comment=(comment or "").strip() or None,
        created_at=utcnow(),
    )
    db.session.add(given)
    db.session.flush()
    events.circle_feedback_given.send(
        "circles",
        user_id=user.id,
        circle_id=circle.id,
        course=_course_slug(circle.course_id),
        meeting=meeting.number,
        rating=rating,
        at=given.created_at,
    )
    answer = _feedback_answer(meeting, given)
    db.session.commit()
    return answer


def _feedback_answer(meeting: CircleMeeting, feedback: MeetingFeedback) -> dict:
    return {
        "meeting": meeting.number,
        "rating": feedback.rating,
        "comment": feedback.comment,
        "created_at": feedback.created_at,
    }


def write_reflection(*, user: User, circle_id: int, number: int, text: str) -> dict:
    """A facilitator's short reflection on a meeting that took place; writing again replaces
    it."""
    circle = _facilitated(circle_id, user, lock=True)
    meeting = _started_meeting(circle, number, "The reflection")
    meeting.reflection = text.strip() or None
    meeting.reflection_at = utcnow()
    db.session.flush()
    item = next(m for m in _meetings(circle, _viewer(circle, user)) if m["number"] == number)
    db.session.commit()
    return item


# The report --------------------------------------------------------------------------------


def _ratings(values: list[int]) -> dict:
    return {
        "count": len(values),
        "average": round(sum(values) / len(values), 2) if values else None,
        "distribution": {str(star): values.count(star) for star in range(1, 6)},
    }


def circle_report(*, user: User, circle_id: int) -> dict:
    """The end-of-circle report for its facilitators: attendance per meeting and per person,
    ratings and comments (anonymous), reflections, and each member's progress in the course,
    or in each of the circle's modules when it covers some."""
    circle = _facilitated(circle_id, user)
    meeting_numbers = {meeting.id: meeting.number for meeting in circle.meetings}
    attendance = db.session.execute(
        sa.select(MeetingAttendance.meeting_id, MeetingAttendance.user_id).where(
            MeetingAttendance.meeting_id.in_(meeting_numbers), MeetingAttendance.present
        )
    ).all()
    feedback = db.session.execute(
        sa.select(MeetingFeedback.meeting_id, MeetingFeedback.rating, MeetingFeedback.comment)
        .where(MeetingFeedback.meeting_id.in_(meeting_numbers))
        .order_by(MeetingFeedback.created_at, MeetingFeedback.id)
    ).all()
    members = _members(circle.id)
    slug = _course_slug(circle.course_id)
    targets = [(slug, module) for module in circle.modules] or [(slug, None)]
    standings = progress.progress_for_learners(
        user_ids=[member.id for member in members], targets=targets
    )
    pledges = actions.pledges_by_learner(
        user_ids=[member.id for member in members], language=user.locale
    )
    meetings = []
    for meeting in circle.meetings:
        ratings = [rating for meeting_id, rating, _ in feedback if meeting_id == meeting.id]
        meetings.append(
            {
                "number": meeting.number,
                "starts_at": _local(meeting.starts_at),
                "attendance_recorded": meeting.attendance_recorded_at is not None,
                "present": sum(1 for meeting_id, _ in attendance if meeting_id == meeting.id),
                "ratings": _ratings(ratings),
                "comments": [
                    comment
                    for meeting_id, _, comment in feedback
                    if meeting_id == meeting.id and comment
                ],
                "reflection": meeting.reflection,
            }
        )
    people = []
    for member in members:
        came = sorted(
            meeting_numbers[meeting_id]
            for meeting_id, user_id in attendance
            if user_id == member.id
        )
        people.append(
            {
                "id": member.id,
                "display_name": member.display_name,
                "attended": len(came),
                "meetings": came,
                "progress": [
                    {"module": module, **standings[(course, module)][member.id]}
                    for course, module in targets
                    if (course, module) in standings
                ],
                "actions": pledges[member.id],
            }
        )
    return {
        "circle": circle.id,
        "title": circle.title,
        "course": slug,
        "modules": circle.modules,
        "status": _status(circle, utcnow()),
        "meetings_count": circle.meeting_count,
        "members_count": len(members),
        "meetings": meetings,
        "people": people,
        "ratings": _ratings([rating for _, rating, _ in feedback]),
    }


# Discovery and details ---------------------------------------------------------------------


@dataclass
class _Page:
    """What a page of circles needs besides the rows, loaded in a few queries."""

    seats: dict[int, dict[str, int]]
    facilitators: dict[int, list[dict]]
    titles: dict[tuple[int, str], tuple[str, str]]  # by (course id, circle language)
    # My status in each circle I joined or wait for, with my place in line when waiting.
    mine: dict[int, tuple[str, int | None]]
    facilitating: set[int]
    next_meetings: dict[int, dict | None]


_ahead = aliased(CircleMembership)
_me = aliased(CircleMembership)
# My memberships in a page of circles, each with how many wait ahead of me, in one statement
# however many waiting lists I am on.
_MY_MEMBERSHIPS = sa.select(
    _me.circle_id,
    _me.status,
    sa.select(sa.func.count())
    .select_from(_ahead)
    .where(
        _waiting_ahead(
            _ahead, circle_id=_me.circle_id, requested_at=_me.requested_at, membership_id=_me.id
        )
    )
    .correlate(_me)
    .scalar_subquery(),
).where(
    _me.user_id == sa.bindparam("user_id"),
    InIds(_me.circle_id, "circle_ids"),
)


def _my_places(user_id: int, circle_ids: list[int]) -> dict[int, tuple[str, int | None]]:
    """My status in each of these circles I joined or wait for, with my place in line."""
    return {
        circle_id: (status, None if status != WAITLISTED else ahead + 1)
        for circle_id, status, ahead in db.session.execute(
            _MY_MEMBERSHIPS, {"user_id": user_id, "circle_ids": circle_ids}
        )
    }


def _load_page(circles: list[Circle], user: User | None, now: datetime) -> _Page:
    """What a page of circles loaded as objects (mine, or one circle's details) needs."""
    ids = [circle.id for circle in circles]
    seats: dict[int, dict[str, int]] = {i: {JOINED: 0, WAITLISTED: 0} for i in ids}
    for circle_id, status, count in db.session.execute(
        sa.select(CircleMembership.circle_id, CircleMembership.status, sa.func.count())
        .where(CircleMembership.circle_id.in_(ids))
        .group_by(CircleMembership.circle_id, CircleMembership.status)
    ):
        seats[circle_id][status] = count
    slugs = dict(
        db.session.execute(
            sa.select(Course.id, Course.slug).where(
                Course.id.in_({circle.course_id for circle in circles})
            )
        ).all()
    )
    next_meetings = {circle.id: _meeting_brief(_next_meeting(circle, now)) for circle in circles}
    return _page(circles, user, seats=seats, slugs=slugs, next_meetings=next_meetings)


def _page(
    circles: list,
    user: User | None,
    *,
    seats: dict[int, dict[str, int]],
    slugs: dict[int, str],
    next_meetings: dict[int, dict | None],
) -> _Page:
    """Add to what the caller loaded the facilitators, the courses' titles and my memberships."""
    ids = [circle.id for circle in circles]
    facilitators: dict[int, list[dict]] = {i: [] for i in ids}
    facilitating = set()
    for circle_id, user_id, name in db.session.execute(
        sa.select(CircleFacilitator.circle_id, User.id, User.display_name)
        .join(User, User.id == CircleFacilitator.user_id)
        .where(CircleFacilitator.circle_id.in_(ids))
        .order_by(CircleFacilitator.added_at, User.id)
    ):
        facilitators[circle_id].append({"id": user_id, "display_name": name})
        if user is not None and user_id == user.id:
            facilitating.add(circle_id)
    # Each circle reads its course's title in the circle's language; the published versions'
    # titles come from the content cache (no query once read).
    titles: dict[tuple[int, str], tuple[str, str]] = {}
    for key in {(circle.course_id, circle.language) for circle in circles}:
        course_id, circle_language = key
        slug = slugs[course_id]
        try:
            ref = catalogue.published_ref(slug=slug)
        except NotFound:
            titles[key] = (slug, slug)
            continue
        language = catalogue.choose_language(ref.languages, [circle_language])
        titles[key] = (slug, ref.title[language])
    mine = {} if user is None else _my_places(user.id, ids)
    return _Page(seats, facilitators, titles, mine, facilitating, next_meetings)


def _summary(circle, page: _Page, now: datetime, distance: float | None = None) -> dict:
    """A circle as discovery lists it; `circle` is a Circle, or a row of its listed columns."""
    return _seen_by(
        _public_summary(circle, page, now, distance),
        online_url=circle.online_url,
        mine=page.mine.get(circle.id, (None, None)),
        facilitating=circle.id in page.facilitating,
    )


def _public_summary(circle, page: _Page, now: datetime, distance: float | None) -> dict:
    """What anyone sees of a circle in a list; _seen_by adds what depends on who asks."""
    seats = page.seats[circle.id]
    slug, course_title = page.titles[circle.course_id, circle.language]
    open_seats = circle.capacity - seats[JOINED] - seats[WAITLISTED]
    status = _status(circle, now)
    return {
        "id": circle.id,
        "status": status,
        "course": {"slug": slug, "title": course_title},
        "modules": circle.modules,
        "title": circle.title,
        "description": circle.description,
        "language": circle.language,
        "commune": circle.commune,
        "venue": _venue_of(circle),
        "online": circle.online_url is not None,
        "online_url": None,
        "capacity": circle.capacity,
        "members_count": seats[JOINED],
        "waitlist_count": seats[WAITLISTED],
        "seats_left": max(open_seats, 0) if status != FINISHED else 0,
        "timezone": TIMEZONE.key,
        "weekday": WEEKDAYS[circle.weekday],
        "time": circle.local_time.strftime("%H:%M"),
        "first_meeting": _local(circle.starts_at),
        "last_meeting_ends": _local(circle.ends_at),
        "meetings_count": circle.meeting_count,
        "duration_minutes": circle.duration_minutes,
        "next_meeting": page.next_meetings[circle.id],
        "facilitators": page.facilitators[circle.id],
        "my_status": None,
        "waitlist_position": None,
        "distance_km": None if distance is None else round(distance, 1),
        "published_at": circle.published_at,
    }


def _seen_by(
    summary: dict, *, online_url: str | None, mine: tuple[str, int | None], facilitating: bool
) -> dict:
    """A public summary as one person sees it: their status, their place in line, and the
    online link when they are in the circle."""
    membership_status, waitlist_position = mine
    my_status = FACILITATOR if facilitating else membership_status
    insider = my_status in (FACILITATOR, JOINED)
    return {
        **summary,
        "online_url": online_url if insider else None,
        "my_status": my_status,
        "waitlist_position": waitlist_position,
    }


def _details(circle: Circle, user: User | None) -> dict:
    now = utcnow()
    details = _summary(circle, _load_page([circle], user, now), now)
    viewer = _viewer(circle, user)
    details["members"] = (
        [{"id": m.id, "display_name": m.display_name} for m in _members(circle.id)]
        if viewer.insider
        else None
    )
    details["meetings"] = _meetings(circle, viewer)
    return details


def get_circle(*, user: User | None, circle_id: int) -> dict:
    """A circle's details, meetings and seats; what else shows depends on who asks."""
    return _details(_visible(circle_id, user), user)


def _distance_km(lat: float, lng: float, circle: Circle) -> float:
    """Great-circle distance (haversine), for display."""
    phi1, phi2 = math.radians(lat), math.radians(circle.venue_lat)
    dphi = phi2 - phi1
    dlambda = math.radians(circle.venue_lng - lng)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _seats_taken(status: str):
    return (
        sa.select(sa.func.count())
        .where(CircleMembership.circle_id == Circle.id, CircleMembership.status == status)
        .correlate(Circle)
        .scalar_subquery()
    )


def _next_meeting_column(column):
    """A column of the meeting going on or coming next at `now` (as _next_meeting picks it)."""
    return (
        sa.select(column)
        .where(CircleMeeting.circle_id == Circle.id, CircleMeeting.ends_at > sa.bindparam("now"))
        .order_by(CircleMeeting.number)
        .limit(1)
        .correlate(Circle)
        .scalar_subquery()
    )


# What a circle's summary reads, with its seats taken, course slug, next meeting and the
# number of matches: discovery loads these as plain columns, not Circle objects, in one
# statement. Built once; each request adds its filters, order and page.
_LISTED = sa.select(
    Circle.id,
    Circle.course_id,
    Circle.modules,
    Circle.title,
    Circle.description,
    Circle.language,
    Circle.commune,
    Circle.venue_name,
    Circle.venue_address,
    Circle.venue_lat,
    Circle.venue_lng,
    Circle.online_url,
    Circle.capacity,
    Circle.meeting_count,
    Circle.duration_minutes,
    Circle.weekday,
    Circle.local_time,
    Circle.starts_at,
    Circle.ends_at,
    Circle.status,
    Circle.published_at,
    Course.slug.label("course_slug"),
    _seats_taken(JOINED).label("joined"),
    _seats_taken(WAITLISTED).label("waitlisted"),
    _next_meeting_column(CircleMeeting.number).label("next_number"),
    _next_meeting_column(CircleMeeting.starts_at).label("next_starts_at"),
    _next_meeting_column(CircleMeeting.ends_at).label("next_ends_at"),
    sa.func.count().over().label("matches"),
).join(Course, Course.id == Circle.course_id)


class _ListedPage(NamedTuple):
    """What anyone sees of a page of discovery, with each circle's online link (for those in
    it), and the first moment a status or next meeting on it changes. The summaries are
    dumped to JSON's types once, when the page is filled: serialising twenty circles on every
    request cost as much as the rest of the request."""

    summaries: list[tuple[dict, str | None]]
    total: int
    turns_at: datetime | None


def list_circles(*, user: User | None, filters: dict, page: int, per_page: int) -> dict:
    """Published circles, soonest first (nearest first around a point), filtered.

    Everyone in a commune opens the same page: its public part is kept per process for
    CIRCLE_LIST_CACHE_SECONDS (not past the moment a circle on it starts, ends or moves on to
    its next meeting), so seat counts and new circles may lag by that long, except in the
    process that took the seat or published the circle; my status and place in line are read
    on every request, in one statement. The page comes in JSON's types, as CircleSchema dumps
    it.
    """
    key = (tuple(sorted(filters.items())), page, per_page)
    listed = kept(
        PAGES,
        key,
        lambda: _listed_page(filters, page, per_page),
        seconds=current_app.config["CIRCLE_LIST_CACHE_SECONDS"],
        size=PAGES_KEPT,
        until=lambda listed: listed.turns_at,
    )
    mine: dict[int, tuple[str, int | None]] = {}
    if user is not None and listed.summaries:
        mine = _my_places(user.id, [summary["id"] for summary, _ in listed.summaries])
    my_id = None if user is None else user.id
    items = [
        _seen_by(
            summary,
            online_url=online_url,
            mine=mine.get(summary["id"], (None, None)),
            facilitating=any(f["id"] == my_id for f in summary["facilitators"]),
        )
        for summary, online_url in listed.summaries
    ]
    return {"items": items, "page": page, "per_page": per_page, "total": listed.total}


def _listed_page(filters: dict, page: int, per_page: int) -> _ListedPage:
    """A page of discovery as anyone sees it.

    Around a point, the filter and the order use an equirectangular distance, exact to well
    under a percent at the scale of a city, in plain SQL on both databases; circles without
    coordinates (online ones) are left out.

    One statement loads the page with its total, seat counts, course slugs and next meetings
    as columns; with the facilitators that makes two whatever the page holds (a third counts
    the matches when the page asked for is past the last).
    """
    now = utcnow()
    conditions = [Circle.status == PUBLISHED]
    if filters.get("commune"):
        conditions.append(Circle.commune == filters["commune"])
    if filters.get("language"):
        conditions.append(Circle.language == filters["language"])
    if filters.get("course"):
        conditions.append(Course.slug == filters["course"])
    if filters.get("weekday"):
        conditions.append(Circle.weekday == WEEKDAYS.index(filters["weekday"]))
    status = filters.get("status")
    if status == UPCOMING:
        conditions.append(Circle.starts_at > now)
    elif status == IN_PROGRESS:
        conditions.extend([Circle.starts_at <= now, Circle.ends_at > now])
    elif status == FINISHED:
        conditions.append(Circle.ends_at <= now)
    if "open_seats" in filters:
        taken = (
            sa.select(sa.func.count())
            .where(CircleMembership.circle_id == Circle.id)
            .correlate(Circle)
            .scalar_subquery()
        )
        has_room = sa.and_(Circle.capacity > taken, Circle.ends_at > now)
        conditions.append(has_room if filters["open_seats"] else sa.not_(has_room))
    order = [Circle.starts_at, Circle.id]
    near = "lat" in filters and "lng" in filters
    if near:
        lat, lng = filters["lat"], filters["lng"]
        east = (Circle.venue_lng - lng) * math.cos(math.radians(lat))
        north = Circle.venue_lat - lat
        squared = east * east + north * north
        radius = filters.get("radius_km", 10.0) / KM_PER_DEGREE
        conditions.extend([Circle.venue_lat.is_not(None), squared <= radius * radius])
        order = [squared, *order]
    rows = db.session.execute(
        _LISTED.where(*conditions).order_by(*order).limit(per_page).offset((page - 1) * per_page),
        {"now": now},
    ).all()
    if rows:
        total = rows[0].matches
    elif page == 1:
        total = 0
    else:
        total = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Circle)
            .join(Course, Course.id == Circle.course_id)
            .where(*conditions)
        )
    loaded = _page(
        rows,
        None,
        seats={row.id: {JOINED: row.joined, WAITLISTED: row.waitlisted} for row in rows},
        slugs={row.course_id: row.course_slug for row in rows},
        next_meetings={
            row.id: None
            if row.next_number is None
            else {
                "number": row.next_number,
                "starts_at": _local(row.next_starts_at),
                "ends_at": _local(row.next_ends_at),
            }
            for row in rows
        },
    )
    # Imported here: the schemas reach impact's (a circle's report shows pledges), and impact
    # counts a circle's members through this module.
    from learning.circles.schemas import CircleSchema

    public = CircleSchema(many=True).dump(
        [
            _public_summary(
                row,
                loaded,
                now,
                _distance_km(filters["lat"], filters["lng"], row) if near else None,
            )
            for row in rows
        ]
    )
    summaries = [(summary, row.online_url) for summary, row in zip(public, rows, strict=True)]
    moments = [
        moment
        for row in rows
        for moment in (row.starts_at, row.ends_at, row.next_starts_at, row.next_ends_at)
        if moment is not None and moment > now
    ]
    return _ListedPage(summaries, total, min(moments, default=None))


def my_circles(*, user: User, page: int, per_page: int) -> dict:
    """Circles I facilitate (drafts included), joined or wait for; current ones first."""
    mine = sa.or_(
        Circle.id.in_(
            sa.select(CircleFacilitator.circle_id).where(CircleFacilitator.user_id == user.id)
        ),
        Circle.id.in_(
            sa.select(CircleMembership.circle_id).where(CircleMembership.user_id == user.id)
        ),
    )
    now = utcnow()
    query = sa.select(Circle).where(mine)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    finished = sa.case((Circle.ends_at <= now, 1), else_=0)
    circles = list(
        db.session.scalars(
            query.options(selectinload(Circle.meetings))
            .order_by(finished, Circle.starts_at, Circle.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    loaded = _load_page(circles, user, now)
    items = [_summary(circle, loaded, now) for circle in circles]
    return {"items": items, "page": page, "per_page": per_page, "total": total}


# Calendars -----------------------------------------------------------------------------------


def _entries(circle: Circle, *, with_link: bool) -> list[CalendarEntry]:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    place = _venue_text(circle)
    link = circle.online_url if with_link else None
    description = circle.description
    if link:
        description = f"{description}\n\n{link}".strip()
    return [
        CalendarEntry(
            circle_id=circle.id,
            number=meeting.number,
            sequence=meeting.sequence,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            updated_at=meeting.updated_at,
            summary=f"{circle.title} ({meeting.number}/{circle.meeting_count})",
            description=description,
            location=place or link,
            url=link or f"{base}/api/v1/circles/{circle.id}",
        )
        for meeting in circle.meetings
    ]


def circle_calendar(*, user: User | None, circle_id: int) -> bytes:
    """A circle's meetings as iCalendar; the online link only for its members and facilitators."""
    circle = _visible(circle_id, user)
    viewer = _viewer(circle, user)
    return build_calendar(name=circle.title, entries=_entries(circle, with_link=viewer.insider))


def _feed_answer(feed: CalendarFeed) -> dict:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    url = f"{base}/api/v1/calendar/{feed.token}.ics"
    return {
        "url": url,
        "webcal_url": "webcal://" + url.split("://", 1)[1],
        "created_at": feed.created_at,
    }


def calendar_feed(*, user: User) -> dict:
    """The secret address of my calendar feed, made the first time I ask."""
    feed = db.session.get(CalendarFeed, user.id)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token=secrets.token_urlsafe(32), created_at=utcnow())
        db.session.add(feed)
        db.session.flush()
    answer = _feed_answer(feed)
    db.session.commit()
    return answer


def rotate_calendar_feed(*, user: User) -> dict:
    """A new secret address; the old one stops working at once."""
    feed = db.session.get(CalendarFeed, user.id)
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
    feed.token = secrets.token_urlsafe(32)
    feed.created_at = utcnow()
    db.session.flush()
    answer = _feed_answer(feed)
    db.session.commit()
    return answer


def personal_calendar(*, token: str) -> bytes:
    """Every meeting of the published circles I joined or facilitate, for a calendar app that
    subscribes with the secret address instead of a bearer token."""
    user_id = db.session.scalar(sa.select(CalendarFeed.user_id).where(CalendarFeed.token == token))
    if user_id is None:
        raise NotFound("There is no calendar at this address; it may have been rotated.")
    circles = db.session.scalars(
        sa.select(Circle)
        .options(selectinload(Circle.meetings))
        .where(Circle.status == PUBLISHED, Circle.id.in_(_circle_ids_of(user_id)))
        .order_by(Circle.starts_at, Circle.id)
    ).all()
    entries = [entry for circle in circles for entry in _entries(circle, with_link=True)]
    return build_calendar(name="carbonlit", entries=entries)


# For other domains -------------------------------------------------------------------------


def _circle_ids_of(user_id: int):
    return sa.union(
        sa.select(CircleFacilitator.circle_id).where(CircleFacilitator.user_id == user_id),
        sa.select(CircleMembership.circle_id).where(
            CircleMembership.user_id == user_id, CircleMembership.status == JOINED
        ),
    )


def member_ids(*, circle_id: int) -> list[int]:
    """The people of a circle: its facilitators and the members holding a seat.

    Used by gamification (circle leaderboards and challenges) and impact (a circle's savings).
    """
    facilitators = sa.select(CircleFacilitator.user_id).where(
        CircleFacilitator.circle_id == circle_id
    )
    members = sa.select(CircleMembership.user_id).where(
        CircleMembership.circle_id == circle_id, CircleMembership.status == JOINED
    )
    return sorted(db.session.scalars(sa.union(facilitators, members)))


def circles_of(*, user_id: int) -> list[int]:
    """The published circles a person facilitates or holds a seat in.

    Used by gamification (which circle leaderboards I appear on) and impact.
    """
    return sorted(
        db.session.scalars(
            sa.select(Circle.id).where(
                Circle.status == PUBLISHED, Circle.id.in_(_circle_ids_of(user_id))
            )
        )
    )


# Personal data -------------------------------------------------------------------------------


def export_personal_data(*, user_id: int) -> dict:
    """A person's circles: seats and waitlist places, circles they facilitate or proposed,
    meetings they came to, the feedback they wrote, completions and their calendar feed (its
    secret stays out of the file)."""

    def rows(model, *order):
        return db.session.scalars(sa.select(model).where(model.user_id == user_id).order_by(*order))

    def per_meeting(model):
        found = db.session.execute(
            sa.select(model, CircleMeeting.circle_id, CircleMeeting.number)
            .join(CircleMeeting, CircleMeeting.id == model.meeting_id)
            .where(model.user_id == user_id)
            .order_by(CircleMeeting.starts_at, model.id)
        ).all()
        return [
            {"circle_id": circle_id, "meeting": number, **as_json(row)}
            for row, circle_id, number in found
        ]

    proposed = db.session.scalars(
        sa.select(Circle).where(Circle.created_by_id == user_id).order_by(Circle.id)
    )
    return {
        "memberships": [as_json(row) for row in rows(CircleMembership, CircleMembership.id)],
        "facilitating": [
            as_json(row) for row in rows(CircleFacilitator, CircleFacilitator.circle_id)
        ],
        "proposed": [as_json(circle) for circle in proposed],
        "attendance": per_meeting(MeetingAttendance),
        "feedback": per_meeting(MeetingFeedback),
        "completions": [as_json(row) for row in rows(CircleCompletion, CircleCompletion.circle_id)],
        "calendar_feed": [as_json(row, exclude=("token",)) for row in rows(CalendarFeed)],
    }


def erase_personal_data(*, user_id: int) -> None:
    """Take a person out of every circle while each circle's figures stay true.

    Seats go (the waitlist moves up, and the person's pending messages are withdrawn), and so
    do facilitator places, completions and the calendar feed. Attendance and ratings stay as
    anonymous rows, so meetings keep their head counts and circles their ratings; feedback
    comments go, being the person's words. A circle they facilitated alone loses the meeting
    reflections only its facilitators could have written; a circle they proposed keeps its
    description, which its members signed up to, but no longer names its proposer.
    """
    memberships = db.session.scalars(
        sa.select(CircleMembership)
        .where(CircleMembership.user_id == user_id)
        .order_by(CircleMembership.circle_id)
    ).all()
    for membership in memberships:
        _remove_membership(_find(membership.circle_id, lock=True), membership)
    facilitated_alone = (
        sa.select(CircleFacilitator.circle_id)
        .group_by(CircleFacilitator.circle_id)
        .having(sa.func.count() == 1, sa.func.max(CircleFacilitator.user_id) == user_id)
    )
    db.session.execute(
        sa.update(CircleMeeting)
        .where(CircleMeeting.circle_id.in_(facilitated_alone))
        .values(reflection=None, reflection_at=None)
    )
    for model in (CircleFacilitator, CircleCompletion, CalendarFeed):
        db.session.execute(sa.delete(model).where(model.user_id == user_id))
    db.session.execute(
        sa.update(MeetingAttendance)
        .where(MeetingAttendance.user_id == user_id)
        .values(user_id=None)
    )
    db.session.execute(
        sa.update(MeetingFeedback)
        .where(MeetingFeedback.user_id == user_id)
        .values(user_id=None, comment=None, client_id=None)
    )
    db.session.execute(
        sa.update(Circle).where(Circle.created_by_id == user_id).values(created_by_id=None)
    )
