"""What goes in and out of the privacy API: the export's sections and the erasure request."""

import marshmallow as ma
from marshmallow import validate

from learning.accounts.models import ROLES
from learning.gamification.schemas import StreakSchema


def _rows(description: str) -> ma.fields.List:
    """Rows as the database holds them, one object per row with a member per column."""
    return ma.fields.List(
        ma.fields.Dict(keys=ma.fields.String()),
        required=True,
        metadata={"description": description},
    )


class AccountDataSchema(ma.Schema):
    profile = ma.fields.Dict(
        keys=ma.fields.String(),
        required=True,
        metadata={"description": "The account row: email, display name, language, commune..."},
    )
    roles = ma.fields.List(ma.fields.String(validate=validate.OneOf(ROLES)), required=True)


class CoursesDataSchema(ma.Schema):
    authoring = _rows("Courses I may author: course (slug), added_at")
    uploads = _rows("Course versions I uploaded: course, version, uploaded_at")


class ProgressDataSchema(ma.Schema):
    enrolments = _rows("My enrolments, each with its course's slug")
    lesson_progress = _rows("Where I stand on each lesson")
    progress_events = _rows("The events my apps sent, with the answer each got")
    quiz_attempts = _rows("My quiz attempts, with my answers and the grading")
    module_completions = _rows("Modules I completed, and when")


class ClassesDataSchema(ma.Schema):
    member_of = _rows("Classes I joined: class_id, joined_at, name, school, commune")
    teacher_of = _rows("Classes I teach: class_id, added_at, name, school, commune")


class CirclesDataSchema(ma.Schema):
    memberships = _rows("My seats and waitlist places")
    facilitating = _rows("Circles I facilitate")
    proposed = _rows("Circles I proposed, as proposed and since updated")
    attendance = _rows("Whether I came to each meeting recorded")
    feedback = _rows("The ratings and comments I gave")
    completions = _rows("Circles I completed, and in which role")
    calendar_feed = _rows("My personal calendar feed (its secret is left out)")


class PointsDataSchema(ma.Schema):
    ledger = _rows("Every points award and correction")
    totals = _rows("My points per week, month and all time")
    activity_days = _rows("The days I took part, which streaks count")
    streak = ma.fields.Nested(StreakSchema, required=True)
    challenges_created = _rows("Challenges I set for a group")


class BadgesDataSchema(ma.Schema):
    assertions = _rows("My badges, with the address each is verified at")
    counters = _rows("The counts my badge rules are evaluated on")


class ActionsDataSchema(ma.Schema):
    pledges = _rows("My pledges, each with its reports")


class CertificationDataSchema(ma.Schema):
    certifications = _rows("My certifications, each with its submissions and reviews")
    reviews_written = _rows("Reviews I wrote as an assessor")


class NotificationsDataSchema(ma.Schema):
    messages = _rows("Messages written to me, sent or waiting")


class PersonalDataSchema(ma.Schema):
    """Everything held about me, one section per domain."""

    exported_at = ma.fields.DateTime(required=True)
    account = ma.fields.Nested(AccountDataSchema, required=True)
    courses = ma.fields.Nested(CoursesDataSchema, required=True)
    progress = ma.fields.Nested(ProgressDataSchema, required=True)
    classes = ma.fields.Nested(ClassesDataSchema, required=True)
    circles = ma.fields.Nested(CirclesDataSchema, required=True)
    points = ma.fields.Nested(PointsDataSchema, required=True)
    badges = ma.fields.Nested(BadgesDataSchema, required=True)
    actions = ma.fields.Nested(ActionsDataSchema, required=True)
    certification = ma.fields.Nested(CertificationDataSchema, required=True)
    notifications = ma.fields.Nested(NotificationsDataSchema, required=True)


class ErasureSchema(ma.Schema):
    password = ma.fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=1, max=1024),
        metadata={"description": "My current password, to confirm that erasing is meant"},
    )
