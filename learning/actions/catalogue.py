"""The action catalogue: a YAML file shipped in this package, checked when the app starts.

Every action says what it saves in kg CO2e a year, as a central value inside a low-high range,
the assumptions behind that number, the shared emission factors it uses and at least one
source. A file that breaks a rule stops the app with each action's slug and its problems, so a
wrong number never reaches a learner. docs/impact-method.md explains how the numbers are used.
"""

import functools
from dataclasses import dataclass
from pathlib import Path

import marshmallow as ma
import yaml
from marshmallow import validate

from learning.actions.models import KINDS
from learning.brussels import LANGUAGES

CATALOGUE_FILE = Path(__file__).with_name("catalogue.yaml")
AUDIENCES = ("households", "pupils", "organisations")
SLUG = validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", error="Not a slug.")
OTHER = "other"  # the name of the folded group in impact figures, so never a category


class CatalogueError(Exception):
    """The catalogue file breaks a rule; `problems` names the action and field of each."""

    def __init__(self, problems: list[str]):
        super().__init__("the action catalogue is invalid:\n" + "\n".join(problems))
        self.problems = problems


TranslatedSchema = ma.Schema.from_dict(
    {
        language: ma.fields.String(required=True, validate=validate.Length(min=1))
        for language in LANGUAGES
    },
    name="TranslatedSchema",
)


class SourceSchema(ma.Schema):
    title = ma.fields.String(required=True, validate=validate.Length(min=1))
    publisher = ma.fields.String(load_default=None)
    year = ma.fields.Integer(required=True, validate=validate.Range(min=1900, max=2100))
    url = ma.fields.Url(required=True, schemes={"https", "http"})


class SavingSchema(ma.Schema):
    central = ma.fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0))
    low = ma.fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0))
    high = ma.fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0))

    @ma.validates_schema
    def range_contains_central(self, data, **_kwargs):
        if not data["low"] <= data["central"] <= data["high"]:
            raise ma.ValidationError(
                f"The range {data['low']:g}-{data['high']:g} does not contain the central "
                f"value {data['central']:g}.",
                "central",
            )


class FactorSchema(ma.Schema):
    slug = ma.fields.String(required=True, validate=SLUG)
    label = ma.fields.Nested(TranslatedSchema, required=True)
    value = ma.fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0))
    unit = ma.fields.String(required=True, validate=validate.Length(min=1))
    year = ma.fields.Integer(required=True, validate=validate.Range(min=1900, max=2100))
    sources = ma.fields.List(
        ma.fields.Nested(SourceSchema), required=True, validate=validate.Length(min=1)
    )


class ActionSchema(ma.Schema):
    slug = ma.fields.String(required=True, validate=[SLUG, validate.Length(max=64)])
    category = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=validate.OneOf(KINDS))
    audience = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(AUDIENCES)),
        required=True,
        validate=validate.Length(min=1),
    )
    title = ma.fields.Nested(TranslatedSchema, required=True)
    description = ma.fields.Nested(TranslatedSchema, required=True)
    kg_co2e_per_year = ma.fields.Nested(SavingSchema, required=True)
    assumptions = ma.fields.Nested(TranslatedSchema, required=True)
    factors = ma.fields.List(ma.fields.String(), load_default=list)
    overlaps = ma.fields.List(ma.fields.String(), load_default=list)
    sources = ma.fields.List(
        ma.fields.Nested(SourceSchema), required=True, validate=validate.Length(min=1)
    )


class HeaderSchema(ma.Schema):
    """Everything in the file but the actions, which are checked one by one."""

    categories = ma.fields.Dict(
        keys=ma.fields.String(validate=SLUG),
        values=ma.fields.Nested(TranslatedSchema),
        required=True,
        validate=validate.Length(min=1),
    )
    # Sources cited more than once are written here once and cited with YAML aliases.
    sources = ma.fields.Dict(
        keys=ma.fields.String(validate=SLUG), values=ma.fields.Nested(SourceSchema)
    )
    factors = ma.fields.List(ma.fields.Nested(FactorSchema), required=True)
    actions = ma.fields.List(ma.fields.Raw(), required=True, validate=validate.Length(min=1))


@dataclass(frozen=True)
class Catalogue:
    categories: dict[str, dict[str, str]]  # slug -> label by language, in file order
    factors: dict[str, dict]
    actions: dict[str, dict]  # slug -> action, in file order

    def sources(self) -> list[dict]:
        """Every distinct source the catalogue cites, factors first, in order of appearance."""
        seen: dict[str, dict] = {}
        for item in [*self.factors.values(), *self.actions.values()]:
            for source in item["sources"]:
                seen.setdefault(source["url"], source)
        return list(seen.values())


def _flatten(messages, prefix: str = "") -> list[str]:
    """marshmallow's nested {field: [messages]} as 'field.sub: message' lines."""
    if isinstance(messages, dict):
        lines = []
        for key, value in messages.items():
            name = key if key != "_schema" else ""
            path = ".".join(part for part in (prefix, str(name)) if part)
            lines.extend(_flatten(value, path))
        return lines
    return [f"{prefix}: {message}" if prefix else str(message) for message in messages]


def _check_references(header: dict, actions: dict[str, dict], listed: dict[str, list]) -> list:
    """Problems with what valid actions name; `listed` holds every slug in the file with the
    overlaps it lists, so that one broken action does not make its neighbours look broken."""
    problems = []
    factors = {factor["slug"] for factor in header["factors"]}
    for slug, action in actions.items():
        if action["category"] not in header["categories"]:
            problems.append(f"{slug}: category: {action['category']!r} is not a category.")
        for factor in action["factors"]:
            if factor not in factors:
                problems.append(f"{slug}: factors: {factor!r} is not a factor.")
        for other in action["overlaps"]:
            if other == slug:
                problems.append(f"{slug}: overlaps: an action cannot overlap itself.")
            elif other not in listed:
                problems.append(f"{slug}: overlaps: {other!r} is not an action.")
            elif slug not in listed[other]:
                problems.append(f"{slug}: overlaps: {other} does not list {slug} back.")
    return problems


def load_catalogue(path: Path | None = None) -> Catalogue:
    """The catalogue at `path`, the shipped one by default, read and checked once per process;
    raise CatalogueError listing every problem, each starting with the action's slug."""
    return _load(path or CATALOGUE_FILE)


@functools.cache
def _load(path: Path) -> Catalogue:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CatalogueError([f"{path.name}: {error}"]) from None
    try:
        header = HeaderSchema().load(raw if isinstance(raw, dict) else {})
    except ma.ValidationError as error:
        raise CatalogueError(_flatten(error.messages)) from None
    problems = []
    if OTHER in header["categories"]:
        problems.append(f"categories: {OTHER!r} is kept for folded figures.")
    factor_slugs = [factor["slug"] for factor in header["factors"]]
    for slug in sorted({s for s in factor_slugs if factor_slugs.count(s) > 1}):
        problems.append(f"factors: {slug} is listed twice.")
    actions: dict[str, dict] = {}
    listed: dict[str, list] = {}
    for index, item in enumerate(header["actions"], start=1):
        name = item.get("slug") if isinstance(item, dict) else None
        name = name if isinstance(name, str) and name else f"actions[{index}]"
        overlaps = item.get("overlaps") if isinstance(item, dict) else None
        listed.setdefault(name, overlaps if isinstance(overlaps, list) else [])
        try:
            action = ActionSchema().load(item if isinstance(item, dict) else {})
        except ma.ValidationError as error:
            problems.extend(f"{name}: {line}" for line in _flatten(error.messages))
            continue
        if action["slug"] in actions:
            problems.append(f"{name}: the slug is used by another action.")
            continue
        actions[action["slug"]] = action
    problems.extend(_check_references(header, actions, listed))
    if problems:
        raise CatalogueError(problems)
    return Catalogue(
        categories=header["categories"],
        factors={factor["slug"]: factor for factor in header["factors"]},
        actions=actions,
    )
