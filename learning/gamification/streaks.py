"""Streaks, forgiving by design, computed from a learner's activity days in Brussels.

- The current streak counts active days in a row. A missed day is covered by a streak freeze
  when the learner holds one; without one the streak starts again, and no point is lost.
- A freeze is earned on every FREEZE_EVERY_ACTIVE_DAYS-th active day; at most MAX_FREEZES are
  held. A gap longer than the freezes held ends the streak and spends none of them.
- Today does not count as missed before it is over: a streak from yesterday is still current.
- The weekly goal asks for activity on a number of days of a week (Monday to Sunday); the
  weeks met in a row end with this week when it is already met, else with last week.

Days synced late from an offline device count on their own day, so they can mend a streak.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from learning.gamification.periods import week_start

FREEZE_EVERY_ACTIVE_DAYS = 7
MAX_FREEZES = 2


@dataclass(frozen=True)
class Streak:
    current: int
    best: int
    freezes: int
    active_today: bool
    weekly_goal_days: int
    days_this_week: int
    weeks_in_a_row: int


def compute_streak(days: list[date], *, today: date, weekly_goal_days: int) -> Streak:
    """The streak as of today from the learner's active days (any order, no duplicates)."""
    days = sorted(day for day in days if day <= today)
    current = best = freezes = 0
    previous: date | None = None
    for count, day in enumerate(days, start=1):
        if previous is not None:
            missed = (day - previous).days - 1
            if missed > freezes:
                current = 0
            else:
                freezes -= missed
        current += 1
        best = max(best, current)
        if count % FREEZE_EVERY_ACTIVE_DAYS == 0:
            freezes = min(freezes + 1, MAX_FREEZES)
        previous = day
    if previous is not None:
        missed = (today - previous).days - 1
        if missed > freezes:
            current = 0
        else:
            freezes -= max(missed, 0)
    this_week, weeks = _weekly_goal(days, today=today, goal=weekly_goal_days)
    return Streak(
        current=current,
        best=best,
        freezes=freezes,
        active_today=previous == today,
        weekly_goal_days=weekly_goal_days,
        days_this_week=this_week,
        weeks_in_a_row=weeks,
    )


def _weekly_goal(days: list[date], *, today: date, goal: int) -> tuple[int, int]:
    """(active days this week, weeks in a row that met the goal)."""
    per_week: dict[date, int] = {}
    for day in days:
        monday = week_start(day)
        per_week[monday] = per_week.get(monday, 0) + 1
    monday = week_start(today)
    this_week = per_week.get(monday, 0)
    weeks = 1 if this_week >= goal else 0
    monday -= timedelta(weeks=1)
    while per_week.get(monday, 0) >= goal:
        weeks += 1
        monday -= timedelta(weeks=1)
    return this_week, weeks
