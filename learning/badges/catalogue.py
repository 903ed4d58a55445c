"""Finding badge classes: the platform's, from its file, and those courses define, from the
database, as one list of plain dictionaries of the same shape."""

import sqlalchemy as sa

from learning.badges.definitions import load_platform_badges
from learning.badges.models import BadgeClass
from learning.errors import NotFound
from learning.extensions import db


def _authored(row: BadgeClass) -> dict:
    return {
        "slug": row.slug,
        "name": row.name,
        "description": row.description,
        "criteria": row.criteria,
        "colour": row.colour,
        "icon": row.icon,
        "image_svg": row.image_svg,
        "rule": row.rule,
        "course": row.course_slug,
    }


def _platform(badge: dict) -> dict:
    return {**badge, "course": None}


def find_badge(*, slug: str) -> dict:
    """One badge class by slug, platform or course-defined."""
    platform = load_platform_badges()
    if slug in platform:
        return _platform(platform[slug])
    row = db.session.scalar(sa.select(BadgeClass).where(BadgeClass.slug == slug))
    if row is None:
        raise NotFound(f"There is no badge {slug}.")
    return _authored(row)


def badges_by_slug(slugs: set[str]) -> dict[str, dict]:
    """The badge classes of these slugs, in two lookups however many there are."""
    platform = load_platform_badges()
    found = {slug: _platform(platform[slug]) for slug in slugs if slug in platform}
    others = slugs - set(found)
    if others:
        rows = db.session.scalars(sa.select(BadgeClass).where(BadgeClass.slug.in_(sorted(others))))
        found.update({row.slug: _authored(row) for row in rows})
    return found


def badges_with_rules(rule_types: list[str]) -> list[dict]:
    """Every badge class still awarded whose rule is of one of these types."""
    platform = [
        _platform(badge)
        for badge in load_platform_badges().values()
        if badge["rule"]["type"] in rule_types
    ]
    rows = db.session.scalars(
        sa.select(BadgeClass)
        .where(BadgeClass.rule_type.in_(rule_types), BadgeClass.retired_at.is_(None))
        .order_by(BadgeClass.id)
    )
    return platform + [_authored(row) for row in rows]


def all_badges(*, course: str | None = None) -> list[dict]:
    """The platform's badges in file order, then courses' badges still awarded, oldest first;
    given a course, only those whose rule is about that course."""
    rows = db.session.scalars(
        sa.select(BadgeClass)
        .where(BadgeClass.retired_at.is_(None))
        .order_by(BadgeClass.created_at, BadgeClass.id)
    )
    badges = [_platform(badge) for badge in load_platform_badges().values()]
    badges += [_authored(row) for row in rows]
    if course is None:
        return badges
    return [badge for badge in badges if badge["rule"].get("course") == course]
