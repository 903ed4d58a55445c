"""The use cases of badges: the badge list, my badges, hosted verification, images, baking,
revocation and the badges courses define."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from learning.accounts.models import User
from learning.badges import catalogue, images, openbadges
from learning.badges.definitions import (
    CERTIFICATE_BADGE,
    COURSE_RULE_TYPES,
    check_rule,
    load_platform_badges,
)
from learning.badges.models import (
    BadgeAssertion,
    BadgeClass,
    BadgeCountedSubject,
    BadgeCounter,
)
from learning.badges.schemas import AssertionDocumentSchema
from learning.brussels import LANGUAGES
from learning.courses.catalogue import choose_language, course_outline
from learning.courses.services import find_authored_course
from learning.db import as_json, utcnow
from learning.errors import Conflict, InvalidInput, NotFound
from learning.extensions import db


def negotiate_language(preferred: list[str]) -> str:
    """The first preferred language badges are written in; else nl, the platform's first."""
    return choose_language(list(LANGUAGES), preferred)


def badge_out(badge: dict, *, language: str) -> dict:
    return {
        "slug": badge["slug"],
        "id": openbadges.badge_url(badge["slug"]),
        "name": badge["name"][language],
        "description": badge["description"][language],
        "criteria": badge["criteria"][language],
        "image": openbadges.image_url(badge["slug"]),
        "colour": badge["colour"],
        "icon": badge["icon"],
        "rule": badge["rule"],
        "course": badge["course"],
    }


def list_badges(
    *, preferred: list[str], course: str | None = None, page: int = 1, per_page: int = 20
) -> dict:
    """Badge classes with their criteria: the platform's, then those courses define."""
    language = negotiate_language(preferred)
    badges = catalogue.all_badges(course=course)
    start = (page - 1) * per_page
    return {
        "language": language,
        "items": [badge_out(b, language=language) for b in badges[start : start + per_page]],
        "page": page,
        "per_page": per_page,
        "total": len(badges),
    }


def get_badge(*, slug: str, preferred: list[str]) -> dict:
    return badge_out(catalogue.find_badge(slug=slug), language=negotiate_language(preferred))


def _award_out(row: BadgeAssertion, badge: dict, *, language: str) -> dict:
    return {
        "id": row.id,
        "badge": badge_out(badge, language=language),
        "issued_on": row.issued_on,
        "assertion_url": openbadges.assertion_url(row.id),
        "baked_url": f"/api/v1/me/badges/{row.id}/baked.svg",
        "certificate_number": row.certificate_number,
        "show_name": row.show_name,
        "revoked": row.revoked_at is not None,
        "revoked_at": row.revoked_at,
        "revocation_reason": row.revocation_reason,
    }


def my_badges(*, user: User, preferred: list[str], page: int = 1, per_page: int = 20) -> dict:
    """My awards, newest first, revoked ones included and marked."""
    language = negotiate_language(preferred)
    where = BadgeAssertion.user_id == user.id
    total = db.session.scalar(sa.select(sa.func.count()).select_from(BadgeAssertion).where(where))
    rows = db.session.scalars(
        sa.select(BadgeAssertion)
        .where(where)
        .order_by(BadgeAssertion.issued_on.desc(), BadgeAssertion.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    badges = catalogue.badges_by_slug({row.badge_slug for row in rows})
    return {
        "language": language,
        "items": [_award_out(row, badges[row.badge_slug], language=language) for row in rows],
        "page": page,
        "per_page": per_page,
        "total": total,
    }


def _my_assertion(user: User, assertion_id: str) -> BadgeAssertion:
    row = db.session.get(BadgeAssertion, assertion_id)
    if row is None or row.user_id != user.id:
        raise NotFound(f"You have no badge award {assertion_id}.")
    return row


def show_my_name(*, user: User, assertion_id: str, show_name: bool, preferred: list[str]) -> dict:
    """Choose whether an award's public verification page shows my display name."""
    row = _my_assertion(user, assertion_id)
    row.show_name = show_name
    result = _award_out(
        row, catalogue.find_badge(slug=row.badge_slug), language=negotiate_language(preferred)
    )
    db.session.commit()
    return result


def baked_image(*, user: User, assertion_id: str, preferred: list[str]) -> tuple[str, str]:
    """(SVG, file name): my badge's image with its assertion baked in, to share or upload to a
    backpack. A revoked award cannot be baked."""
    row = _my_assertion(user, assertion_id)
    if row.revoked_at is not None:
        raise Conflict("This badge was revoked; a revoked badge cannot be downloaded.")
    badge = catalogue.find_badge(slug=row.badge_slug)
    language = negotiate_language([*preferred, user.locale])
    svg = _image(badge, language)
    document = AssertionDocumentSchema().dump(openbadges.assertion(row, language=language))
    baked = images.bake(svg, assertion_url=document["id"], assertion=document)
    return baked, f"{badge['slug']}.svg"


def _image(badge: dict, language: str) -> str:
    """The badge's authored image, else the one drawn from its name, colour and icon."""
    if badge["image_svg"]:
        return badge["image_svg"]
    return images.draw_badge(
        name=badge["name"][language], colour=badge["colour"], icon=badge["icon"]
    )


def badge_image(*, slug: str, preferred: list[str]) -> str:
    return _image(catalogue.find_badge(slug=slug), negotiate_language(preferred))


def issuer_profile(*, preferred: list[str]) -> dict:
    return openbadges.issuer_profile(language=negotiate_language(preferred))


def badge_class(*, slug: str, preferred: list[str]) -> dict:
    """The BadgeClass document, with the badge itself for the human page."""
    badge = catalogue.find_badge(slug=slug)
    language = negotiate_language(preferred)
    return {
        "document": openbadges.badge_class(badge, language=language),
        "badge": badge_out(badge, language=language),
        "issuer": openbadges.issuer_profile(language=language),
        "language": language,
    }


@dataclass(frozen=True)
class HostedAssertion:
    """A hosted assertion with what its human verification page shows."""

    document: dict
    revoked: bool
    badge: dict
    issuer: dict
    language: str
    issued_on: datetime
    recipient_name: str | None
    certificate_number: str | None
    revoked_at: datetime | None
    revocation_reason: str | None


def hosted_assertion(*, assertion_id: str, preferred: list[str]) -> HostedAssertion:
    """An assertion as anyone may verify it; a revoked one answers only that it was revoked."""
    row = db.session.get(BadgeAssertion, assertion_id)
    if row is None:
        raise NotFound(f"There is no badge assertion {assertion_id}.")
    language = negotiate_language(preferred)
    badge = catalogue.find_badge(slug=row.badge_slug)
    revoked = row.revoked_at is not None
    recipient = db.session.get(User, row.user_id) if row.show_name else None
    return HostedAssertion(
        document=openbadges.revoked_assertion(row)
        if revoked
        else openbadges.assertion(row, language=language),
        revoked=revoked,
        badge=badge_out(badge, language=language),
        issuer=openbadges.issuer_profile(language=language),
        language=language,
        issued_on=row.issued_on,
        recipient_name=recipient.display_name if recipient else None,
        certificate_number=row.certificate_number,
        revoked_at=row.revoked_at,
        revocation_reason=row.revocation_reason,
    )


def revocation_list() -> dict:
    """Every revoked assertion with its reason, oldest revocation first."""
    rows = db.session.scalars(
        sa.select(BadgeAssertion)
        .where(BadgeAssertion.revoked_at.is_not(None))
        .order_by(BadgeAssertion.revoked_at, BadgeAssertion.id)
    ).all()
    return openbadges.revocation_list(list(rows))


def revoke_assertion(*, admin: User, assertion_id: str, reason: str) -> dict:
    """Revoke an award for good: its hosted assertion answers 410 Gone and the revocation list
    names it. Revoking it again changes nothing and answers it as it is."""
    row = db.session.scalar(
        sa.select(BadgeAssertion).where(BadgeAssertion.id == assertion_id).with_for_update()
    )
    if row is None:
        raise NotFound(f"There is no badge assertion {assertion_id}.")
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(
            "Say why the badge is revoked.", errors={"reason": ["Must not be blank."]}
        )
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        row.revocation_reason = reason
        row.revoked_by_id = admin.id
        current_app.logger.info("badge assertion %s revoked by admin %s", row.id, admin.id)
    result = _award_out(row, catalogue.find_badge(slug=row.badge_slug), language="en")
    db.session.commit()
    return result


def define_course_badge(*, user: User, course: str, definition: dict, preferred: list[str]):
    """A badge a course's author defines for that course; its rule must be about the course
    (completing it, a set of its modules, or its certification). An authored image is kept only
    when it passes the sanitiser; without one the image is drawn."""
    find_authored_course(user=user, slug=course)
    rule = definition["rule"]
    errors = {}
    if rule["type"] not in COURSE_RULE_TYPES:
        errors["rule.type"] = [f"A course's badge uses one of {', '.join(COURSE_RULE_TYPES)}."]
    elif rule.get("course", course) != course:
        errors["rule.course"] = [f"A badge of {course} is about {course}."]
    elif "modules" in rule:
        known = {module["slug"] for module in course_outline(slug=course, preferred=[])["modules"]}
        unknown = [slug for slug in rule["modules"] if slug not in known]
        if unknown:
            errors["rule.modules"] = [
                f"Not modules of the published {course}: {', '.join(unknown)}."
            ]
    problems = check_rule(rule)
    if problems:
        errors["rule"] = problems
    image_svg = None
    if definition.get("image_svg"):
        try:
            image_svg = images.sanitise_svg(definition["image_svg"])
        except images.UnsafeSvg as error:
            errors["image_svg"] = error.problems
    if errors:
        raise InvalidInput("This badge cannot be defined as it is.", errors=errors)
    slug = definition["slug"]
    taken = slug in load_platform_badges() or db.session.scalar(
        sa.select(BadgeClass.id).where(BadgeClass.slug == slug)
    )
    if taken:
        raise Conflict(f"The badge slug {slug} is taken; badge slugs are permanent.")
    row = BadgeClass(
        slug=slug,
        course_slug=course,
        name=definition["name"],
        description=definition["description"],
        criteria=definition["criteria"],
        colour=definition["colour"],
        icon=definition["icon"],
        image_svg=image_svg,
        rule={**rule, "course": course},
        rule_type=rule["type"],
        created_by_id=user.id,
    )
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(f"The badge slug {slug} is taken; badge slugs are permanent.") from None
    result = badge_out(catalogue.find_badge(slug=slug), language=negotiate_language(preferred))
    db.session.commit()
    current_app.logger.info("badge %s defined for %s by user %s", slug, course, user.id)
    return result


def define_package_badges(
    *, course: str, version: str, languages: list[str], badges: list[dict]
) -> None:
    """Bring a course's badges in line with the badges.yaml of the version being published.

    The package checked each badge already (rule about this course, modules that exist, a safe
    image). Texts missing in a platform language fall back to the course's default language, so
    every badge reads in nl, fr and en. A badge the new version no longer has retires: its
    awards stay valid, nobody earns it any more. Slugs are permanent and global, so a slug of a
    platform badge or of another course's badge refuses the publication.
    """
    slugs = [badge["slug"] for badge in badges]
    existing = {
        row.slug: row
        for row in db.session.scalars(
            sa.select(BadgeClass).where(
                sa.or_(BadgeClass.slug.in_(slugs), BadgeClass.course_slug == course)
            )
        )
    }
    taken = [
        slug
        for slug in slugs
        if slug in load_platform_badges()
        or (slug in existing and existing[slug].course_slug != course)
    ]
    if taken:
        raise Conflict(
            f"{course} {version} defines badge slugs that other badges have: {', '.join(taken)}; "
            "badge slugs are permanent, choose others."
        )
    default = languages[0]
    for badge in badges:
        row = existing.get(badge["slug"])
        if row is None:
            row = BadgeClass(slug=badge["slug"], course_slug=course)
            db.session.add(row)
        for field in ("name", "description", "criteria"):
            texts = badge[field]
            setattr(
                row,
                field,
                {language: texts.get(language, texts[default]) for language in LANGUAGES},
            )
        row.colour = badge["colour"]
        row.icon = badge["icon"]
        row.image_svg = badge["image_svg"]
        row.rule = {**badge["rule"], "course": course}
        row.rule_type = badge["rule"]["type"]
        row.package_version = version
        row.retired_at = None
    for slug, row in existing.items():
        if slug not in slugs and row.package_version is not None and row.retired_at is None:
            row.retired_at = utcnow()
    current_app.logger.info("course %s %s defines badges: %s", course, version, slugs)


def on_course_published(_sender, *, course: str, version: str, languages, badges, **_kwargs):
    define_package_badges(course=course, version=version, languages=languages, badges=badges)


def certificate_assertion_url(*, number: str) -> str:
    """The verification URL of the certification badge's award carrying a certificate number."""
    assertion_id = db.session.scalar(
        sa.select(BadgeAssertion.id).where(
            BadgeAssertion.badge_slug == CERTIFICATE_BADGE,
            BadgeAssertion.certificate_number == number,
        )
    )
    if assertion_id is None:
        raise NotFound(f"No badge carries the certificate number {number}.")
    return openbadges.assertion_url(assertion_id)


# Personal data -------------------------------------------------------------------------------

RECIPIENT_ERASED = "The recipient erased their account."


def export_personal_data(*, user_id: int) -> dict:
    """A person's badge assertions, with the address anyone verifies each at, and the counters
    their badge rules are evaluated on."""
    assertions = db.session.scalars(
        sa.select(BadgeAssertion)
        .where(BadgeAssertion.user_id == user_id)
        .order_by(BadgeAssertion.issued_on, BadgeAssertion.id)
    )
    counters = db.session.scalars(
        sa.select(BadgeCounter)
        .where(BadgeCounter.user_id == user_id)
        .order_by(BadgeCounter.counter)
    )
    return {
        "assertions": [
            {**as_json(row), "assertion_url": openbadges.assertion_url(row.id)}
            for row in assertions
        ],
        "counters": [as_json(row) for row in counters],
    }


def erase_personal_data(*, user_id: int) -> None:
    """Revoke a person's badges and cut each assertion's link to them.

    The assertions stay, revoked, so that /ob/assertions and /ob/revocations keep telling
    anyone who holds a copy that the badge no longer stands; their hashed recipient identity
    and its salt go, so that no email can be matched against them any more.
    """
    db.session.execute(
        sa.update(BadgeAssertion)
        .where(BadgeAssertion.user_id == user_id, BadgeAssertion.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revocation_reason=RECIPIENT_ERASED, revoked_by_id=None)
    )
    db.session.execute(
        sa.update(BadgeAssertion)
        .where(BadgeAssertion.user_id == user_id)
        .values(recipient_salt="", recipient_identity="", show_name=False)
    )
    for model in (BadgeCountedSubject, BadgeCounter):
        db.session.execute(sa.delete(model).where(model.user_id == user_id))
    db.session.execute(
        sa.update(BadgeClass).where(BadgeClass.created_by_id == user_id).values(created_by_id=None)
    )
