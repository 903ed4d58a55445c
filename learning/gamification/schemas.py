"""What goes in and out of the points, leaderboard and challenge API."""

import marshmallow as ma
from marshmallow import validate

from learning.api import PageArgsSchema, PlainList, page_schema
from learning.brussels import LANGUAGES
from learning.gamification.periods import PERIODS
from learning.gamification.scopes import SCOPE_HELP
from learning.gamification.services import CHALLENGE_STATUSES

DEFAULT_CHALLENGE_POINTS = 50


class LanguageArgsSchema(ma.Schema):
    lang = ma.fields.String(
        validate=validate.OneOf(LANGUAGES),
        metadata={"description": "Wanted language; by default mine, else Accept-Language"},
    )


class RuleSchema(ma.Schema):
    event = ma.fields.String(required=True, metadata={"description": "The domain event"})
    label = ma.fields.String(required=True)
    points = ma.fields.Integer(required=True)
    daily_cap = ma.fields.Integer(
        required=True,
        allow_none=True,
        metadata={
            "description": "Awards that pay per learner and Brussels day; later ones that day "
            "are recorded with 0 points. Each subject (a lesson, a quiz...) pays once ever, so "
            "retaking a quiz pays only its first pass."
        },
    )
    metric = ma.fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "What challenges call a count of these awards"},
    )


class RulesSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(RuleSchema), required=True)
    metrics = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={"description": "What a challenge can count: the rules' metrics and points"},
    )


class LevelSchema(ma.Schema):
    name = ma.fields.String(required=True)
    threshold = ma.fields.Integer(
        required=True, metadata={"description": "The total of points that reaches it"}
    )


class LevelsSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(LevelSchema), required=True)


class NextLevelSchema(LevelSchema):
    points_needed = ma.fields.Integer(required=True)


class WeeklyGoalSchema(ma.Schema):
    days = ma.fields.Integer(required=True, metadata={"description": "Active days a week asks"})
    this_week = ma.fields.Integer(required=True, metadata={"description": "Active days so far"})
    weeks_in_a_row = ma.fields.Integer(required=True)


class StreakSchema(ma.Schema):
    current = ma.fields.Integer(
        required=True, metadata={"description": "Active days in a row, as of today"}
    )
    best = ma.fields.Integer(required=True)
    freezes = ma.fields.Integer(
        required=True,
        metadata={
            "description": "Streak freezes held: one is earned every 7 active days, at most 2 "
            "are held, and each covers one missed day"
        },
    )
    active_today = ma.fields.Boolean(required=True)
    weekly_goal = ma.fields.Nested(WeeklyGoalSchema, required=True)


class EntrySchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    rule = ma.fields.String(
        required=True, metadata={"description": "Event, or challenge_met, correction"}
    )
    label = ma.fields.String(required=True)
    subject = ma.fields.String(required=True)
    points = ma.fields.Integer(required=True)
    capped = ma.fields.Boolean(required=True, metadata={"description": "Over the daily cap"})
    reason = ma.fields.String(required=True, allow_none=True)
    awarded_at = ma.fields.AwareDateTime(
        required=True, metadata={"description": "When it happened; it counts in that period"}
    )
    recorded_at = ma.fields.AwareDateTime(required=True)
    compensates = ma.fields.Integer(
        required=True, allow_none=True, metadata={"description": "The entry a correction fixes"}
    )
    created_by = ma.fields.Integer(
        required=True, allow_none=True, metadata={"description": "The admin who corrected"}
    )


LedgerPageSchema = page_schema(EntrySchema, "LedgerPage")


class MyPointsSchema(ma.Schema):
    total = ma.fields.Integer(required=True)
    level = ma.fields.Nested(LevelSchema, required=True)
    next_level = ma.fields.Nested(NextLevelSchema, required=True, allow_none=True)
    streak = ma.fields.Nested(StreakSchema, required=True)
    recent = ma.fields.List(ma.fields.Nested(EntrySchema), required=True)


class CorrectionSchema(ma.Schema):
    id = ma.fields.UUID(
        load_default=None,
        metadata={"description": "Chosen by the client; sending it again adds nothing"},
    )
    points = ma.fields.Integer(
        required=True,
        strict=True,
        validate=[validate.Range(-100_000, 100_000), validate.NoneOf([0])],
        metadata={"description": "Points to add, or to take away when negative"},
    )
    reason = ma.fields.String(required=True, validate=validate.Length(3, 200))
    entry = ma.fields.Integer(
        load_default=None, metadata={"description": "The ledger entry this corrects, if one"}
    )


class LeaderboardArgsSchema(ma.Schema):
    scope = ma.fields.String(load_default="global", metadata={"description": SCOPE_HELP})
    period = ma.fields.String(
        load_default="week",
        validate=validate.OneOf(PERIODS),
        metadata={"description": "week (from Monday, Brussels), month, or all time"},
    )
    limit = ma.fields.Integer(load_default=10, validate=validate.Range(1, 100))


class RankedSchema(ma.Schema):
    rank = ma.fields.Integer(
        required=True, metadata={"description": "Ties share a rank: 1, 2, 2, 4"}
    )
    display_name = ma.fields.String(
        required=True, allow_none=True, metadata={"description": "Only for who allows it"}
    )
    anonymous = ma.fields.Boolean(required=True)
    points = ma.fields.Integer(required=True)
    is_me = ma.fields.Boolean(required=True)


class MyRankSchema(ma.Schema):
    rank = ma.fields.Integer(required=True)
    points = ma.fields.Integer(required=True)


class LeaderboardSchema(ma.Schema):
    scope = ma.fields.String(required=True)
    period = ma.fields.String(required=True)
    starts_on = ma.fields.Date(
        required=True, allow_none=True, metadata={"description": "None for all time"}
    )
    top = PlainList(RankedSchema, required=True)
    me = ma.fields.Nested(
        MyRankSchema,
        required=True,
        allow_none=True,
        metadata={"description": "None when I am not a learner of this scope"},
    )


class ChallengeInSchema(ma.Schema):
    id = ma.fields.UUID(
        load_default=None,
        metadata={"description": "Chosen by the client; sending it again adds nothing"},
    )
    scope = ma.fields.String(
        required=True, metadata={"description": "class:{id}, circle:{id} or commune:{slug}"}
    )
    title = ma.fields.String(required=True, validate=validate.Length(1, 120))
    description = ma.fields.String(load_default=None, validate=validate.Length(max=1000))
    metric = ma.fields.String(
        required=True, metadata={"description": "One of the metrics of GET /api/v1/points/rules"}
    )
    target = ma.fields.Integer(required=True, strict=True, validate=validate.Range(1, 1_000_000))
    points = ma.fields.Integer(
        load_default=DEFAULT_CHALLENGE_POINTS,
        strict=True,
        validate=validate.Range(0, 500),
        metadata={"description": "Paid once to each contributor when the goal is met"},
    )
    starts_at = ma.fields.AwareDateTime(load_default=None, metadata={"description": "Default now"})
    ends_at = ma.fields.AwareDateTime(required=True, metadata={"description": "Not included"})


class ChallengeSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    scope = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True, allow_none=True)
    metric = ma.fields.String(required=True)
    target = ma.fields.Integer(required=True)
    points = ma.fields.Integer(required=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    ends_at = ma.fields.AwareDateTime(required=True)
    status = ma.fields.String(required=True, validate=validate.OneOf(CHALLENGE_STATUSES))
    met_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    created_at = ma.fields.AwareDateTime(required=True)
    progress = ma.fields.Integer(required=True, metadata={"description": "Towards target"})
    contributors = ma.fields.Integer(required=True)
    my_contribution = ma.fields.Integer(required=True)


ChallengePageSchema = page_schema(ChallengeSchema, "ChallengePage")


class ChallengeListArgsSchema(PageArgsSchema):
    status = ma.fields.String(load_default=None, validate=validate.OneOf(CHALLENGE_STATUSES))
