"""Badge classes as data: the rule types, the definition schema and the platform badges file.

A badge class has a slug (its public id), a name, a description and criteria in nl, fr and
en, a colour and an icon to draw its image from (or an authored SVG image, sanitised), and one
machine rule saying when it is awarded. The platform's badges ship in platform.yaml beside
this file, their authored images in images/, checked when the app starts: a file that breaks
a rule stops the app with every problem, each naming its badge.
"""

import functools
from pathlib import Path

import marshmallow as ma
import yaml
from marshmallow import validate

from learning.badges.images import ICONS, UnsafeSvg, sanitise_svg
from learning.brussels import LANGUAGES
from learning.gamification.services import list_levels

PLATFORM_FILE = Path(__file__).with_name("platform.yaml")
SLUG = validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", error="Not a slug.")

COURSE_COMPLETED = "course_completed"
MODULES_COMPLETED = "modules_completed"
CIRCLE_MEETINGS_ATTENDED = "circle_meetings_attended"
CIRCLE_FACILITATED = "circle_facilitated"
POINTS_LEVEL = "points_level"
WEEKLY_STREAK = "weekly_streak"
CHALLENGE_MET = "challenge_met"
CERTIFICATION_APPROVED = "certification_approved"
PLEDGES_DONE = "pledges_done"

# Each rule type with its required and optional parameters.
RULE_PARAMETERS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    COURSE_COMPLETED: (frozenset(), frozenset({"course"})),
    MODULES_COMPLETED: (frozenset({"course", "modules"}), frozenset()),
    CIRCLE_MEETINGS_ATTENDED: (frozenset({"count"}), frozenset()),
    CIRCLE_FACILITATED: (frozenset(), frozenset({"count"})),
    POINTS_LEVEL: (frozenset({"threshold"}), frozenset()),
    WEEKLY_STREAK: (frozenset({"weeks"}), frozenset()),
    CHALLENGE_MET: (frozenset(), frozenset({"count"})),
    CERTIFICATION_APPROVED: (frozenset(), frozenset({"course"})),
    PLEDGES_DONE: (frozenset({"count"}), frozenset()),
}
RULE_TYPES = tuple(RULE_PARAMETERS)
# The rules a course may give its own badges: they are about that course alone.
COURSE_RULE_TYPES = (COURSE_COMPLETED, MODULES_COMPLETED, CERTIFICATION_APPROVED)
# The certification's own badge: approval awards it with the certificate's number, and the
# printed certificate's QR code verifies its assertion.
CERTIFICATE_BADGE = "carbon-literate"

RULE_DESCRIPTION = (
    "When the badge is awarded: course_completed {course?} (any course without one), "
    "modules_completed {course, modules}, circle_meetings_attended {count}, "
    "circle_facilitated {count?} (circles facilitated to their last meeting, default 1), "
    "points_level {threshold} (a level's threshold, see GET /api/v1/points/levels), "
    "weekly_streak {weeks} (weekly goal met that many weeks in a row), "
    "challenge_met {count?}, certification_approved {course?}, pledges_done {count}."
)


class BadgeFileError(Exception):
    """The platform badges file breaks a rule; `problems` names the badge and field of each."""

    def __init__(self, problems: list[str]):
        super().__init__("the platform badges file is invalid:\n" + "\n".join(problems))
        self.problems = problems


def translated(max_length: int) -> type[ma.Schema]:
    """A text in each of nl, fr and en, none blank."""
    return ma.Schema.from_dict(
        {
            language: ma.fields.String(
                required=True, validate=validate.Length(min=1, max=max_length)
            )
            for language in LANGUAGES
        },
        name=f"Translated{max_length}Schema",
    )


class BadgeRuleSchema(ma.Schema):
    """One machine rule; which parameters it takes depends on its type."""

    type = ma.fields.String(required=True, validate=validate.OneOf(RULE_TYPES))
    course = ma.fields.String(validate=[SLUG, validate.Length(max=64)])
    modules = ma.fields.List(
        ma.fields.String(validate=[SLUG, validate.Length(max=64)]),
        validate=validate.Length(min=1, max=50),
    )
    count = ma.fields.Integer(validate=validate.Range(min=1, max=10_000))
    threshold = ma.fields.Integer(validate=validate.Range(min=0))
    weeks = ma.fields.Integer(validate=validate.Range(min=1, max=520))

    # A course's own badges are about that course: their rules may leave it out.
    course_implied = False

    @ma.validates_schema
    def parameters_fit_the_type(self, data, **_kwargs):
        if data.get("type") not in RULE_PARAMETERS:
            return
        required, optional = RULE_PARAMETERS[data["type"]]
        given = set(data) - {"type"}
        if self.course_implied:
            required = required - {"course"}
        errors = {name: ["Required by this rule type."] for name in sorted(required - given)}
        for name in sorted(given - required - optional):
            errors[name] = [f"Not a parameter of {data['type']}."]
        if "modules" in data and len(set(data["modules"])) != len(data["modules"]):
            errors["modules"] = ["A module is listed twice."]
        if errors:
            raise ma.ValidationError(errors)


class CourseRuleSchema(BadgeRuleSchema):
    """The rule of a badge a course defines; its course is that course."""

    course_implied = True


class BadgeDefinitionSchema(ma.Schema):
    """A badge class as the platform file and authors write it."""

    slug = ma.fields.String(required=True, validate=[SLUG, validate.Length(max=64)])
    name = ma.fields.Nested(translated(80), required=True)
    description = ma.fields.Nested(translated(500), required=True)
    criteria = ma.fields.Nested(translated(2000), required=True)
    colour = ma.fields.String(
        required=True,
        validate=validate.Regexp(r"^#[0-9a-fA-F]{6}$", error="A colour like #1b5e20."),
        metadata={"description": "The badge's background, dark enough for white text"},
    )
    icon = ma.fields.String(required=True, validate=validate.OneOf(sorted(ICONS)))
    rule = ma.fields.Nested(
        BadgeRuleSchema, required=True, metadata={"description": RULE_DESCRIPTION}
    )


class PlatformBadgeSchema(BadgeDefinitionSchema):
    """A platform badge; it may bring its own image, an SVG file in images/ beside the file."""

    image = ma.fields.String(
        validate=validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*\.svg$", error="A file name like x.svg.")
    )


def _flatten(messages, prefix: str = "") -> list[str]:
    """marshmallow's nested {field: [messages]} as 'field.sub: message' lines."""
    if isinstance(messages, dict):
        lines = []
        for key, value in messages.items():
            name = "" if key == "_schema" else str(key)
            lines.extend(_flatten(value, ".".join(part for part in (prefix, name) if part)))
        return lines
    return [f"{prefix}: {message}" if prefix else str(message) for message in messages]


@functools.cache
def load_platform_badges(path: Path = PLATFORM_FILE) -> dict[str, dict]:
    """The platform's badge classes by slug, in file order; read and checked once per process.

    Raises BadgeFileError listing every problem, each starting with the badge's slug.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise BadgeFileError([f"{path.name}: {error}"]) from None
    items = raw.get("badges") if isinstance(raw, dict) else None
    if not isinstance(items, list) or not items:
        raise BadgeFileError([f"{path.name}: badges: a list of at least one badge is required."])
    problems: list[str] = []
    badges: dict[str, dict] = {}
    for index, item in enumerate(items, start=1):
        name = item.get("slug") if isinstance(item, dict) else None
        name = name if isinstance(name, str) and name else f"badges[{index}]"
        try:
            badge = PlatformBadgeSchema().load(item if isinstance(item, dict) else {})
        except ma.ValidationError as error:
            problems.extend(f"{name}: {line}" for line in _flatten(error.messages))
            continue
        badge["image_svg"] = None
        if "image" in badge:
            try:
                image = (path.parent / "images" / badge.pop("image")).read_text(encoding="utf-8")
                badge["image_svg"] = sanitise_svg(image)
            except OSError as error:
                problems.append(f"{name}: image: {error.strerror}: {error.filename}")
            except UnsafeSvg as error:
                problems.extend(f"{name}: image: {problem}" for problem in error.problems)
        if badge["slug"] in badges:
            problems.append(f"{name}: the slug is used by another badge.")
            continue
        problems.extend(f"{name}: {line}" for line in check_rule(badge["rule"]))
        badges[badge["slug"]] = badge
    certificate = badges.get(CERTIFICATE_BADGE)
    if certificate is None or certificate["rule"] != {"type": CERTIFICATION_APPROVED}:
        problems.append(
            f"{CERTIFICATE_BADGE}: the certification's badge must be there, with the rule "
            f"{{type: {CERTIFICATION_APPROVED}}} and no course."
        )
    if problems:
        raise BadgeFileError(problems)
    return badges


def check_rule(rule: dict) -> list[str]:
    """What the schema cannot see: a points level must be one of gamification's levels."""
    if rule["type"] != POINTS_LEVEL:
        return []
    thresholds = [level["threshold"] for level in list_levels(language="en")]
    if rule["threshold"] not in thresholds:
        allowed = ", ".join(str(threshold) for threshold in thresholds)
        return [f"rule.threshold: {rule['threshold']} is not a level's threshold ({allowed})."]
    return []
