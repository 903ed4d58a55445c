"""The points rules: which domain event pays how much, for what subject, with what daily cap.

The defaults are rules.yaml beside this module; the config key POINTS_RULES overrides them per
event, field by field, adds rules for new events, or switches one off with None. They are read
and checked once, when the app starts, so a mistake in them stops the start with a clear message.
"""

import string
from dataclasses import dataclass
from pathlib import Path

import marshmallow as ma
import yaml
from flask import Flask, current_app
from marshmallow import validate

from learning.brussels import LANGUAGES

DEFAULTS = Path(__file__).with_name("rules.yaml")
EXTENSION_KEY = "carbonlit.points_rules"

# Ledger rules gamification writes itself; every other rule is a domain event's, and an
# award under it marks a day the learner took part.
CHALLENGE_MET = "challenge_met"
CORRECTION = "correction"
OWN_RULES = (CHALLENGE_MET, CORRECTION)
BUILT_IN_LABELS = {
    CHALLENGE_MET: {"nl": "Uitdaging gehaald", "fr": "Défi relevé", "en": "Challenge met"},
    CORRECTION: {"nl": "Correctie", "fr": "Correction", "en": "Correction"},
}
# Events gamification sends: paying points for them would pay for paying.
OWN_EVENTS = (CHALLENGE_MET, "points_awarded")
POINTS_METRIC = "points"


@dataclass(frozen=True)
class Rule:
    event: str
    points: int
    subject: str
    daily_cap: int | None
    metric: str | None
    label: dict[str, str]

    def subject_for(self, arguments: dict) -> str:
        """The subject of one event, from its arguments (a missing one is a bug in the rule)."""
        try:
            return self.subject.format(**arguments)
        except KeyError as error:
            raise RuntimeError(
                f"The points rule {self.event} names {error} in its subject, "
                f"but the event sends only {', '.join(sorted(arguments))}."
            ) from None


def _check_template(template: str) -> None:
    fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    if not fields or not all(name.isidentifier() for name in fields):
        raise ma.ValidationError("Name at least one event argument, like {course}.")


class LabelSchema(ma.Schema):
    nl = ma.fields.String(required=True)
    fr = ma.fields.String(required=True)
    en = ma.fields.String(required=True)


class RuleSchema(ma.Schema):
    points = ma.fields.Integer(required=True, strict=True, validate=validate.Range(0, 10_000))
    subject = ma.fields.String(required=True, validate=[validate.Length(1, 200), _check_template])
    daily_cap = ma.fields.Integer(load_default=None, allow_none=True, validate=validate.Range(1))
    metric = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=[
            validate.Regexp(r"^[a-z][a-z_]*$"),
            validate.NoneOf([POINTS_METRIC], error="points is the metric of all points."),
        ],
    )
    label = ma.fields.Nested(LabelSchema, load_default=None)


def load_rules(overrides: dict | None) -> dict[str, Rule]:
    """The default rules with overrides applied, checked; raises RuntimeError naming the mistake."""
    merged: dict[str, dict] = yaml.safe_load(DEFAULTS.read_text(encoding="utf-8"))
    for event, override in (overrides or {}).items():
        if override is None:
            merged.pop(event, None)
        elif not isinstance(override, dict):
            raise RuntimeError(f"POINTS_RULES[{event!r}] must be a mapping or null.")
        else:
            merged[event] = {**merged.get(event, {}), **override}
    rules = {}
    for event, fields in merged.items():
        if event in (*OWN_RULES, *OWN_EVENTS):
            raise RuntimeError(f"{event} is paid by gamification itself and takes no points rule.")
        try:
            loaded = RuleSchema().load(fields)
        except ma.ValidationError as error:
            raise RuntimeError(f"The points rule {event} is not valid: {error.messages}") from None
        label = loaded.pop("label") or dict.fromkeys(LANGUAGES, event.replace("_", " "))
        rules[event] = Rule(event=event, label=label, **loaded)
    return rules


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = load_rules(app.config.get("POINTS_RULES"))


def active_rules() -> dict[str, Rule]:
    """This app's rules by event name."""
    return current_app.extensions[EXTENSION_KEY]


def label(rule: str) -> dict[str, str]:
    """A ledger rule's name in each language; a rule switched off since keeps its event name."""
    if rule in BUILT_IN_LABELS:
        return BUILT_IN_LABELS[rule]
    found = active_rules().get(rule)
    return found.label if found else dict.fromkeys(LANGUAGES, rule.replace("_", " "))


def rules_counted_by(metric: str) -> list[str]:
    """The ledger rules a challenge's count metric counts."""
    return [rule.event for rule in active_rules().values() if rule.metric == metric]


def metrics() -> list[str]:
    """The metrics challenges can count now: those of the rules, and points."""
    named = {rule.metric for rule in active_rules().values() if rule.metric}
    return [*sorted(named), POINTS_METRIC]
