"""Streaks count Brussels days, forgive a missed day with a freeze, and never cost points."""

from datetime import date, timedelta

import pytest

from learning.gamification.streaks import MAX_FREEZES, compute_streak
from tests.gamification.conftest import brussels, completed

MONDAY = date(2026, 3, 2)


def days(*offsets: int) -> list[date]:
    """Days counted from Monday 2 March 2026."""
    return [MONDAY + timedelta(days=offset) for offset in offsets]


def streak(active: list[date], today_offset: int, goal: int = 3):
    return compute_streak(
        active, today=MONDAY + timedelta(days=today_offset), weekly_goal_days=goal
    )


def test_days_in_a_row_make_the_streak():
    result = streak(days(0, 1, 2), 2)

    assert (result.current, result.best, result.active_today) == (3, 3, True)


def test_a_streak_from_yesterday_is_still_current_today():
    assert streak(days(0, 1, 2), 3).current == 3


def test_a_missed_day_without_a_freeze_ends_the_streak_but_not_the_best():
    assert (streak(days(0, 1, 2), 4).current, streak(days(0, 1, 2), 4).best) == (0, 3)
    assert streak(days(0, 1, 2, 4), 4).current == 1


def test_seven_active_days_earn_a_freeze_that_covers_a_missed_day():
    week = list(range(7))

    earned = streak(days(*week), 6)
    covered = streak(days(*week, 8), 8)

    assert (earned.current, earned.freezes) == (7, 1)
    assert (covered.current, covered.freezes) == (8, 0)


def test_a_freeze_covers_the_missed_day_before_today():
    assert (streak(days(*range(7)), 8).current, streak(days(*range(7)), 8).freezes) == (7, 0)


def test_a_gap_longer_than_the_freezes_ends_the_streak_and_keeps_them():
    result = streak(days(*range(7), 9), 9)

    assert (result.current, result.best, result.freezes) == (1, 7, 1)


def test_freezes_are_capped():
    result = streak(days(*range(28)), 27)

    assert result.freezes == MAX_FREEZES


def test_a_day_synced_late_mends_the_streak():
    assert streak(days(2, 0, 1), 2).current == 3
    assert streak(days(0, 2), 2).current == 1


def test_the_weekly_goal_counts_weeks_met_in_a_row():
    two_weeks = days(0, 2, 4, 7, 8, 9)

    this_week_met = streak(two_weeks, 9)
    this_week_under_way = streak(days(0, 2, 4, 7), 9)
    missed_last_week = streak(days(0, 2, 4, 7), 14)

    assert (this_week_met.days_this_week, this_week_met.weeks_in_a_row) == (3, 2)
    assert (this_week_under_way.days_this_week, this_week_under_way.weeks_in_a_row) == (1, 1)
    assert missed_last_week.weeks_in_a_row == 0


def test_lessons_at_2330_and_0030_in_brussels_are_two_days(course, person, sync, clock, points):
    ana = person("Ana")

    sync(
        ana,
        completed("lesson-0-0", at=brussels(2026, 3, 2, 23, 30)),
        completed("lesson-0-1", at=brussels(2026, 3, 3, 0, 30)),
    )

    assert points(ana)["streak"]["current"] == 2


@pytest.mark.parametrize(
    ("moments", "today"),
    [
        (
            [(2026, 3, 28, 23, 30), (2026, 3, 29, 23, 30), (2026, 3, 30, 0, 30)],
            (2026, 3, 30, 12, 0),
        ),
        (
            [(2026, 10, 24, 23, 30), (2026, 10, 25, 0, 30), (2026, 10, 26, 0, 30)],
            (2026, 10, 26, 12, 0),
        ),
    ],
    ids=["into summer time", "into winter time"],
)
def test_days_follow_brussels_across_the_clock_change(person, deed, clock, points, moments, today):
    ana = person("Ana")
    clock.move_to(brussels(*today))

    for moment in moments:
        deed(ana, at=brussels(*moment))

    assert points(ana)["streak"] | {"weekly_goal": None} == {
        "current": 3,
        "best": 3,
        "freezes": 0,
        "active_today": True,
        "weekly_goal": None,
    }


def test_a_freeze_earned_by_a_week_of_activity_saves_the_streak(person, deed, clock, points):
    ana = person("Ana")
    clock.move_to(brussels(2026, 3, 17, 20, 0))

    for offset in [*range(7), 8]:
        deed(ana, at=brussels(2026, 3, 9 + offset, 12, 0))

    assert points(ana)["streak"]["current"] == 8
    assert points(ana)["streak"]["freezes"] == 0


def test_losing_a_streak_never_removes_points(person, deed, clock, points):
    ana = person("Ana")
    deed(ana, at=brussels(2026, 3, 3, 12, 0))
    deed(ana, at=brussels(2026, 3, 4, 9, 0))

    clock.move_to(brussels(2026, 3, 10, 12, 0))
    mine = points(ana)

    assert (mine["streak"]["current"], mine["streak"]["best"]) == (0, 2)
    assert mine["total"] == 20


def test_my_weekly_goal(person, deed, points):
    ana = person("Ana")
    for day in (23, 25, 27, 2, 3, 4):
        month = 2 if day > 4 else 3
        deed(ana, at=brussels(2026, month, day, 8, 0))

    assert points(ana)["streak"]["weekly_goal"] == {"days": 3, "this_week": 3, "weeks_in_a_row": 2}
