"""What goes in and out of the classes API."""

import re
from datetime import date

import marshmallow as ma
from marshmallow import validate

from learning.api import PageArgsSchema
from learning.brussels import COMMUNES, LANGUAGES, TIMEZONE, end_of_day
from learning.classes.models import ASSIGNMENT_STATES
from learning.courses.schemas import SLUG

PLAIN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SCHOOL_YEAR = re.compile(r"(\d{4})-(\d{4})")


class BrusselsDateTime(ma.fields.AwareDateTime):
    """A time with an offset, always shown in Europe/Brussels."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None:
            value = value.astimezone(TIMEZONE)
        return super()._serialize(value, attr, obj, **kwargs)


class Deadline(BrusselsDateTime):
    """A time with an offset, or a plain date meaning the end of that day in Brussels."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and PLAIN_DATE.fullmatch(value):
            try:
                return end_of_day(date.fromisoformat(value))
            except ValueError:
                raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE) from None
        return super()._deserialize(value, attr, data, **kwargs)


DEADLINE_DESCRIPTION = (
    "A time with an offset, or a plain date (YYYY-MM-DD) meaning 23:59:59 that day in "
    "Europe/Brussels; in the future. Shown with the Brussels offset."
)


def _school_year(value: str) -> None:
    match = SCHOOL_YEAR.fullmatch(value)
    if match is None or int(match[2]) != int(match[1]) + 1:
        raise ma.ValidationError("A school year such as 2026-2027.")


class ClassChangesSchema(ma.Schema):
    name = ma.fields.String(validate=validate.Length(min=1, max=120))
    school = ma.fields.String(
        validate=validate.Length(min=1, max=160),
        metadata={"description": "The school or organisation, e.g. an adult-education centre"},
    )
    commune = ma.fields.String(
        validate=validate.OneOf(list(COMMUNES)),
        metadata={"description": "One of the 19 Brussels communes, by slug"},
    )
    language = ma.fields.String(
        validate=validate.OneOf(LANGUAGES), metadata={"description": "nl, fr or en"}
    )
    school_year = ma.fields.String(
        validate=_school_year,
        metadata={"description": "Such as 2026-2027; by default the one under way"},
    )
    leaderboard_enabled = ma.fields.Boolean(
        metadata={"description": "Whether the class's learners see each other's display names"}
    )


class ClassCreateSchema(ClassChangesSchema):
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=120))
    school = ma.fields.String(
        required=True,
        validate=validate.Length(min=1, max=160),
        metadata={"description": "The school or organisation, e.g. an adult-education centre"},
    )
    commune = ma.fields.String(
        required=True,
        validate=validate.OneOf(list(COMMUNES)),
        metadata={"description": "One of the 19 Brussels communes, by slug"},
    )
    language = ma.fields.String(
        required=True, validate=validate.OneOf(LANGUAGES), metadata={"description": "nl, fr or en"}
    )
    join_code_expires_at = Deadline(
        load_default=None,
        allow_none=True,
        metadata={"description": "When the join code stops working: " + DEADLINE_DESCRIPTION},
    )


class ClassTeacherSchema(ma.Schema):
    user_id = ma.fields.Integer(required=True)
    display_name = ma.fields.String(required=True)


class ClassSchema(ma.Schema):
    """A class as its teachers see it."""

    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    school = ma.fields.String(required=True)
    commune = ma.fields.String(required=True)
    language = ma.fields.String(required=True)
    school_year = ma.fields.String(required=True)
    join_code = ma.fields.String(
        required=True,
        metadata={
            "description": "Eight letters and digits, no 0/O or 1/I/L, shown as ABCD-EFGH; "
            "learners may type it in any case, with or without the dash"
        },
    )
    join_code_expires_at = BrusselsDateTime(
        required=True, allow_none=True, metadata={"description": "null: it does not expire"}
    )
    leaderboard_enabled = ma.fields.Boolean(required=True)
    teachers = ma.fields.List(ma.fields.Nested(ClassTeacherSchema), required=True)
    learners = ma.fields.Integer(required=True, metadata={"description": "How many joined"})
    created_at = BrusselsDateTime(required=True)


class JoinCodeRotationSchema(ma.Schema):
    expires_at = Deadline(
        load_default=None,
        allow_none=True,
        metadata={"description": "When the new code stops working: " + DEADLINE_DESCRIPTION},
    )


class ClassJoinSchema(ma.Schema):
    code = ma.fields.String(required=True, validate=validate.Length(min=1, max=32))


class MyClassSchema(ma.Schema):
    """A class as its learners see it."""

    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    school = ma.fields.String(required=True)
    commune = ma.fields.String(required=True)
    language = ma.fields.String(required=True)
    school_year = ma.fields.String(required=True)
    leaderboard_enabled = ma.fields.Boolean(required=True)
    teachers = ma.fields.List(
        ma.fields.String(), required=True, metadata={"description": "Display names"}
    )
    joined_at = BrusselsDateTime(required=True)


class ClassMemberSchema(ma.Schema):
    user_id = ma.fields.Integer(required=True)
    display_name = ma.fields.String(required=True)
    joined_at = BrusselsDateTime(required=True)


class ClassmateSchema(ma.Schema):
    display_name = ma.fields.String(required=True)


class ClassmatesSchema(ma.Schema):
    leaderboard_enabled = ma.fields.Boolean(
        required=True,
        metadata={"description": "false: the teacher keeps names private and items is empty"},
    )
    items = ma.fields.List(ma.fields.Nested(ClassmateSchema), required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)


class AssignmentChangesSchema(ma.Schema):
    due_at = Deadline(metadata={"description": DEADLINE_DESCRIPTION})
    note = ma.fields.String(
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={"description": "For the learners, e.g. what to prepare"},
    )


class AssignmentCreateSchema(AssignmentChangesSchema):
    course = ma.fields.String(required=True, validate=SLUG, metadata={"description": "Slug"})
    module = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=SLUG,
        metadata={"description": "A module's slug; none assigns the whole course"},
    )
    due_at = Deadline(required=True, metadata={"description": DEADLINE_DESCRIPTION})
    note = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={"description": "For the learners, e.g. what to prepare"},
    )


class AssignmentSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    class_id = ma.fields.Integer(required=True)
    course = ma.fields.String(required=True)
    module = ma.fields.String(required=True, allow_none=True)
    course_title = ma.fields.String(
        required=True, metadata={"description": "In the class's language, as assigned"}
    )
    module_title = ma.fields.String(required=True, allow_none=True)
    due_at = BrusselsDateTime(required=True)
    note = ma.fields.String(required=True, allow_none=True)
    created_at = BrusselsDateTime(required=True)


STATE_DESCRIPTION = (
    "not_started, in_progress, done, or late (overdue and not done). A course or module stays "
    "done once completed, in any version; an assignment whose course is no longer published "
    "counts as not started."
)


class AssignmentStandingSchema(ma.Schema):
    percent = ma.fields.Integer(
        required=True, metadata={"description": "Lessons and quizzes done, in percent"}
    )
    state = ma.fields.String(
        required=True,
        validate=validate.OneOf(ASSIGNMENT_STATES),
        metadata={"description": STATE_DESCRIPTION},
    )
    completed_at = BrusselsDateTime(
        required=True,
        allow_none=True,
        metadata={"description": "When it was first completed"},
    )
    late = ma.fields.Boolean(
        required=True,
        metadata={"description": "Overdue and not done, or done after the due time"},
    )


class MyAssignmentSchema(AssignmentSchema, AssignmentStandingSchema):
    class_name = ma.fields.String(required=True)
    due_soon = ma.fields.Boolean(
        required=True,
        metadata={
            "description": "Not done, not late, and due within CLASS_DUE_SOON_DAYS days "
            "(to the end of that day in Brussels)"
        },
    )


class MyAssignmentArgsSchema(PageArgsSchema):
    state = ma.fields.String(validate=validate.OneOf(ASSIGNMENT_STATES))
    due_soon = ma.fields.Boolean(metadata={"description": "Only those due soon, or only not"})


class MyAssignmentsSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MyAssignmentSchema), required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True, metadata={"description": "All matches"})
    due_soon_days = ma.fields.Integer(
        required=True, metadata={"description": "What due soon means here, in days"}
    )


class ProgressCellSchema(AssignmentStandingSchema):
    assignment_id = ma.fields.Integer(required=True)


class ProgressCells(ma.fields.List):
    """A learner's row of cells, documented as a list of ProgressCellSchema and dumped as
    ProgressCellSchema would dump it, without a schema per cell: a 30 x 10 matrix has 300
    cells, and dumping each through marshmallow was the largest part of the request."""

    def __init__(self, **kwargs):
        super().__init__(ma.fields.Nested(ProgressCellSchema), **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return [
            {
                "percent": cell["percent"],
                "state": cell["state"],
                "completed_at": None
                if cell["completed_at"] is None
                else cell["completed_at"].astimezone(TIMEZONE).isoformat(),
                "late": cell["late"],
                "assignment_id": cell["assignment_id"],
            }
            for cell in value
        ]


class ProgressLearnerSchema(ma.Schema):
    user_id = ma.fields.Integer(required=True)
    display_name = ma.fields.String(required=True)
    cells = ProgressCells(
        required=True,
        metadata={"description": "One per assignment, in the order of assignments"},
    )


class AssignmentSummarySchema(ma.Schema):
    learners = ma.fields.Integer(required=True)
    not_started = ma.fields.Integer(required=True)
    in_progress = ma.fields.Integer(required=True)
    done = ma.fields.Integer(required=True)
    late = ma.fields.Integer(required=True, metadata={"description": "Overdue and not done"})
    average_percent = ma.fields.Integer(required=True)


class ProgressAssignmentSchema(AssignmentSchema):
    summary = ma.fields.Nested(AssignmentSummarySchema, required=True)


class ClassProgressSchema(ma.Schema):
    class_id = ma.fields.Integer(required=True)
    class_name = ma.fields.String(required=True)
    generated_at = BrusselsDateTime(required=True)
    assignments = ma.fields.List(
        ma.fields.Nested(ProgressAssignmentSchema),
        required=True,
        metadata={"description": "Soonest due first, each with its summary"},
    )
    learners = ma.fields.List(
        ma.fields.Nested(ProgressLearnerSchema),
        required=True,
        metadata={"description": "By display name"},
    )


class ClassProgressArgsSchema(ma.Schema):
    format = ma.fields.String(
        validate=validate.OneOf(["json", "csv"]),
        metadata={"description": "csv: the same as `Accept: text/csv`"},
    )
    delimiter = ma.fields.String(
        load_default="comma",
        validate=validate.OneOf(["comma", "semicolon"]),
        metadata={
            "description": "CSV only: semicolon suits Excel with Belgian regional settings, "
            "which splits columns on semicolons"
        },
    )
