"""Impact figures: pledged and realised savings of a group, never of fewer than five learners.

The rules are written out in docs/impact-method.md; change one only together with it.

- pledged: the expected annual saving (kg CO2e a year) of live pledges, those not dropped;
- realised: kg CO2e avoided so far, each pledge's annual saving times the Brussels calendar
  days it has been kept (from its first ongoing or done report until it was dropped, or
  today) divided by 365;
- catalogue and self-estimated pledges are two separate blocks and never add up to one total;
- a learner counts in a figure when they have a live pledge in it or realised something in it;
  a block with fewer than MIN_GROUP such learners is withheld (the scope too when both are),
  and in a breakdown (categories, months) every entry with fewer is folded into "other",
  together with the smallest shown entries while "other" itself is under MIN_GROUP. Every
  figure shown is then the sum of five or more learners, and the shown entries add up to their
  block's total, so subtraction finds nothing that was hidden.
"""

import copy
import io
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from learning.accounts.models import User
from learning.actions.catalogue import OTHER, load_catalogue
from learning.actions.counting import DAYS_PER_YEAR, brussels_date, kept_days
from learning.actions.models import Pledge
from learning.brussels import COMMUNES
from learning.circles import services as circles
from learning.classes import services as classes
from learning.csvsafe import SafeWriter
from learning.db import LARGEST_ID, utcnow
from learning.errors import NotFound
from learning.extensions import db
from learning.kept import kept
from learning.progress import services as progress

MIN_GROUP = 5
IMPACT = "impact"
# Scopes whose figures a process keeps at once: the region, the communes, and the courses,
# classes and circles asked for lately.
CACHE_SCOPES = 4096
SCOPE_KINDS = ("region", "commune", "course", "class", "circle")
SCOPE_PATTERN = (
    r"^(region|commune:[a-z-]{1,40}|course:[a-z0-9-]{1,64}|class:[0-9]{1,12}|circle:[0-9]{1,12})$"
)
CSV_COLUMNS = (
    "scope",
    "as_of",
    "block",
    "breakdown",
    "key",
    "withheld",
    "learners",
    "pledges",
    "pledged_kg_co2e_per_year",
    "realised_kg_co2e",
)
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def _month_parts(start: date, stop: date) -> Iterator[tuple[str, int]]:
    """Split [start, stop) into calendar months: ("2026-03", days in that month)."""
    cursor = start
    while cursor < stop:
        next_month = (cursor.replace(day=1) + timedelta(days=32)).replace(day=1)
        end = min(next_month, stop)
        yield cursor.strftime("%Y-%m"), (end - cursor).days
        cursor = end


def scope_members(*, scope: str) -> Collection[int] | sa.Select:
    """The user ids of a scope's members, as ids (a class's learners; a circle's facilitators
    and seated members) or as a query of ids (too many to list for a whole region, commune or
    course); raise NotFound when the scope names nothing."""
    kind, _, name = scope.partition(":")
    if kind == "region":
        return sa.select(User.id)
    if kind == "commune":
        if name not in COMMUNES:
            raise NotFound(f"There is no commune {name}; communes go by slug, e.g. ixelles.")
        return sa.select(User.id).where(User.commune == name)
    if kind == "course":
        return progress.enrolled_user_ids(slug=name)
    if kind in ("class", "circle") and int(name) > LARGEST_ID:
        raise NotFound(f"There is no {kind} {name}.")
    if kind == "class":
        return classes.member_ids(class_id=int(name))
    if kind == "circle":
        return circles.member_ids(circle_id=int(name))
    raise NotFound(f"Impact is not counted by {kind}.")


@dataclass(eq=False)
class Cell:
    """One figure of a breakdown and the learners behind it; compared by identity."""

    key: str
    learners: set[int] = field(default_factory=set)
    pledges: int = 0
    pledged: float = 0.0
    realised: float = 0.0

    def merge(self, other: "Cell") -> None:
        self.learners |= other.learners
        self.pledges += other.pledges
        self.pledged += other.pledged
        self.realised += other.realised

    def figures(self) -> dict:
        return {
            "learners": len(self.learners),
            "pledges": self.pledges,
            "pledged_kg_co2e_per_year": round(self.pledged, 1),
            "realised_kg_co2e": round(self.realised, 1),
        }


def fold(cells: list[Cell]) -> list[Cell]:
    """Show the cells of MIN_GROUP learners or more; fold the others into one "other" cell,
    and while "other" has too few learners, fold the smallest shown cell into it too."""
    shown = [cell for cell in cells if len(cell.learners) >= MIN_GROUP]
    other = Cell(OTHER)
    for cell in cells:
        if 0 < len(cell.learners) < MIN_GROUP:
            other.merge(cell)
    while 0 < len(other.learners) < MIN_GROUP and shown:
        smallest = min(shown, key=lambda cell: (len(cell.learners), shown.index(cell)))
        shown.remove(smallest)
        other.merge(smallest)
    return shown + ([other] if other.learners else [])


@dataclass(eq=False)
class _Block:
    """The figures of catalogue or of self-estimated pledges: a total and its breakdowns."""

    total: Cell = field(default_factory=lambda: Cell("total"))
    categories: dict[str, Cell] = field(default_factory=dict)
    months: dict[str, Cell] = field(default_factory=dict)

    def cell(self, breakdown: dict[str, Cell], key: str) -> Cell:
        return breakdown.setdefault(key, Cell(key))


def _pledges_of(members, now: datetime) -> list:
    return db.session.execute(
        sa.select(
            Pledge.user_id,
            Pledge.action_slug,
            Pledge.category,
            Pledge.kg_co2e_per_year,
            Pledge.pledged_at,
            Pledge.kept_since,
            Pledge.dropped_at,
        ).where(Pledge.user_id.in_(members), Pledge.pledged_at <= now)
    ).all()


def _count(rows, now: datetime) -> tuple[_Block, _Block]:
    """Add every pledge to the figures it counts in: (catalogue, self-estimated)."""
    catalogue, self_estimated = _Block(), _Block()
    for row in rows:
        live = row.dropped_at is None or row.dropped_at > now
        days = kept_days(kept_since=row.kept_since, dropped_at=row.dropped_at, now=now)
        parts = list(_month_parts(*days)) if days else []
        realised = row.kg_co2e_per_year * sum(n for _, n in parts) / DAYS_PER_YEAR
        if not live and not realised:
            continue
        block = self_estimated if row.action_slug is None else catalogue
        targets = [block.total]
        if block is catalogue:
            targets.append(block.cell(block.categories, row.category))
        for cell in targets:
            cell.learners.add(row.user_id)
            cell.pledges += int(live)
            cell.pledged += row.kg_co2e_per_year if live else 0.0
            cell.realised += realised
        if block is self_estimated:
            continue
        if live:
            month = block.cell(block.months, brussels_date(row.pledged_at).strftime("%Y-%m"))
            month.learners.add(row.user_id)
            month.pledges += 1
            month.pledged += row.kg_co2e_per_year
        for key, count in parts:
            month = block.cell(block.months, key)
            month.learners.add(row.user_id)
            month.realised += row.kg_co2e_per_year * count / DAYS_PER_YEAR
    return catalogue, self_estimated


def impact_figures(*, scope: str, now: datetime | None = None) -> dict:
    """The figures of a scope as of `now`: learners, pledges, pledged and realised savings,
    by category and by month; withheld or folded wherever fewer than MIN_GROUP learners.

    Today's figures are public and change slowly: each process keeps a scope's for
    IMPACT_CACHE_SECONDS, so that a commune's page opened by everyone adds up its pledges
    once a minute, not once a request.
    """
    if now is not None:
        return _figures(scope, now)
    figures = kept(
        IMPACT,
        scope,
        lambda: _figures(scope, utcnow()),
        seconds=current_app.config["IMPACT_CACHE_SECONDS"],
        size=CACHE_SCOPES,
    )
    return copy.deepcopy(figures)


def _figures(scope: str, now: datetime) -> dict:
    catalogue, self_estimated = _count(_pledges_of(scope_members(scope=scope), now), now)
    shown = [b for b in (catalogue, self_estimated) if len(b.total.learners) >= MIN_GROUP]
    figures = {
        "scope": scope,
        "as_of": brussels_date(now),
        "minimum_group": MIN_GROUP,
        "withheld": not shown,
        "learners": None,
        "pledges": None,
        "catalogue": None,
        "self_estimated": None,
    }
    if not shown:
        return figures
    # Only the blocks shown count here, so that no subtraction uncovers a withheld block.
    figures["learners"] = len(set().union(*(block.total.learners for block in shown)))
    figures["pledges"] = sum(block.total.pledges for block in shown)
    if catalogue in shown:
        order = list(load_catalogue().categories)
        categories = sorted(
            catalogue.categories.values(),
            key=lambda cell: (order.index(cell.key) if cell.key in order else len(order), cell.key),
        )
        months = [catalogue.months[key] for key in sorted(catalogue.months)]
        figures["catalogue"] = {
            **catalogue.total.figures(),
            "categories": [{"category": c.key, **c.figures()} for c in fold(categories)],
            "months": [{"month": c.key, **c.figures()} for c in fold(months)],
        }
    if self_estimated in shown:
        figures["self_estimated"] = self_estimated.total.figures()
    return figures


def impact_csv(figures: dict) -> str:
    """The figures as CSV rows, one per total or breakdown entry (docs/impact-method.md)."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    head = [figures["scope"], figures["as_of"].isoformat()]

    def row(block, breakdown, key, values):
        numbers = [
            values.get(name, "") if values else ""
            for name in ("learners", "pledges", "pledged_kg_co2e_per_year", "realised_kg_co2e")
        ]
        writer.writerow([*head, block, breakdown, key, "false" if values else "true", *numbers])

    everyone = None
    if not figures["withheld"]:
        everyone = {"learners": figures["learners"], "pledges": figures["pledges"]}
    row("all", "total", "", everyone)
    if figures["withheld"]:
        return buffer.getvalue()
    block = figures["catalogue"]
    row("catalogue", "total", "", block)
    for entry in block["categories"] if block else []:
        row("catalogue", "category", entry["category"], entry)
    for entry in block["months"] if block else []:
        row("catalogue", "month", entry["month"], entry)
    row("self_estimated", "total", "", figures["self_estimated"])
    return buffer.getvalue()
