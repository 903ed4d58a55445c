"""Brussels calendar days, weeks and months, the units of caps, streaks and leaderboards."""

from datetime import date, datetime, timedelta

from learning.brussels import TIMEZONE

WEEK, MONTH, ALL = "week", "month", "all"
PERIODS = (WEEK, MONTH, ALL)
# The all-time board is one period that starts before anything could happen.
ALL_TIME_START = date.min


def brussels_day(at: datetime) -> date:
    """The calendar day in Brussels at an aware instant (23:30 and 00:30 local are two days)."""
    return at.astimezone(TIMEZONE).date()


def week_start(day: date) -> date:
    """The Monday of day's week."""
    return day - timedelta(days=day.weekday())


def period_start(kind: str, day: date) -> date:
    """The first day of the week (Monday), month or all time that day falls in."""
    if kind == WEEK:
        return week_start(day)
    if kind == MONTH:
        return day.replace(day=1)
    return ALL_TIME_START
