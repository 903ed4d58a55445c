"""The arithmetic of realised savings, shared by a learner's pledges and the impact figures."""

from datetime import date, datetime

from learning.brussels import TIMEZONE

DAYS_PER_YEAR = 365


def brussels_date(moment: datetime) -> date:
    return moment.astimezone(TIMEZONE).date()


def kept_days(*, kept_since: datetime | None, dropped_at: datetime | None, now: datetime):
    """The Brussels calendar days a pledge was kept, as [start, end) dates, or None."""
    if kept_since is None or kept_since > now:
        return None
    end = dropped_at if dropped_at is not None and dropped_at <= now else now
    start, stop = brussels_date(kept_since), brussels_date(end)
    return (start, stop) if stop > start else None


def realised_kg(
    *, kg_co2e_per_year: float, kept_since: datetime | None, dropped_at, now: datetime
) -> float:
    """kg CO2e avoided so far: the annual saving prorated by the days the action was kept."""
    days = kept_days(kept_since=kept_since, dropped_at=dropped_at, now=now)
    if days is None:
        return 0.0
    return kg_co2e_per_year * (days[1] - days[0]).days / DAYS_PER_YEAR
