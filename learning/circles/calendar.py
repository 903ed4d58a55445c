"""iCalendar (RFC 5545) documents of circle meetings, built with the icalendar library.

Times are written with TZID=Europe/Brussels and the zone's VTIMEZONE, so a calendar shows a
19:00 meeting at 19:00 in summer and in winter. A meeting's UID never changes and its SEQUENCE
rises each time it moves, so a subscribed calendar updates the event instead of adding one.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, Event

from learning.brussels import TIMEZONE

PRODUCT_ID = "-//carbonlit//learning circles//EN"
REFRESH_INTERVAL = timedelta(hours=1)


@dataclass(frozen=True)
class CalendarEntry:
    """One meeting as a calendar shows it."""

    circle_id: int
    number: int
    sequence: int
    starts_at: datetime
    ends_at: datetime
    updated_at: datetime
    summary: str
    description: str
    location: str | None
    url: str | None


def _uid(entry: CalendarEntry) -> str:
    host = urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"
    return f"circle-{entry.circle_id}-meeting-{entry.number}@{host}"


def _event(entry: CalendarEntry) -> Event:
    event = Event()
    event.add("uid", _uid(entry))
    event.add("sequence", entry.sequence)
    event.add("dtstamp", entry.updated_at)
    event.add("last-modified", entry.updated_at)
    event.add("dtstart", entry.starts_at.astimezone(TIMEZONE))
    event.add("dtend", entry.ends_at.astimezone(TIMEZONE))
    event.add("summary", entry.summary)
    event.add("status", "CONFIRMED")
    if entry.description:
        event.add("description", entry.description)
    if entry.location:
        event.add("location", entry.location)
    if entry.url:
        event.add("url", entry.url)
    return event


def build_calendar(*, name: str, entries: list[CalendarEntry]) -> bytes:
    """A calendar of the entries, with the VTIMEZONE of Europe/Brussels for their years."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TIMEZONE.key)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    for entry in entries:
        calendar.add_component(_event(entry))
    if entries:
        first = min(entry.starts_at for entry in entries).astimezone(TIMEZONE)
        last = max(entry.ends_at for entry in entries).astimezone(TIMEZONE)
        calendar.add_missing_timezones(
            first_date=date(first.year - 1, 1, 1), last_date=date(last.year + 2, 1, 1)
        )
    return calendar.to_ical()
