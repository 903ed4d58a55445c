"""What goes in and out of the progress API."""

import marshmallow as ma
from marshmallow import validate

from learning.progress.models import ACCEPTED, DUPLICATE, REJECTED, VERBS

EVENT_DESCRIPTION = (
    "An event recorded offline: {id: uuid chosen by the client, course: slug, lesson: slug, "
    f"verb: {' | '.join(VERBS)}, at: time with offset, position?: number >= 0}}. "
    "A malformed event is rejected alone."
)


class EventBatchSchema(ma.Schema):
    events = ma.fields.List(
        ma.fields.Raw(metadata={"type": "object", "description": EVENT_DESCRIPTION}),
        required=True,
        validate=validate.Length(min=1),
        metadata={"description": "Up to PROGRESS_MAX_BATCH (500) events, in any order"},
    )


class EventResultSchema(ma.Schema):
    id = ma.fields.String(required=True, allow_none=True)
    status = ma.fields.String(
        required=True, validate=validate.OneOf([ACCEPTED, DUPLICATE, REJECTED])
    )
    reason = ma.fields.String(
        metadata={
            "description": "Why an event was rejected: malformed: <fields>, unknown_course, "
            "unknown_lesson, locked, future; a duplicate repeats its first reason"
        }
    )


class EventResultsSchema(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(EventResultSchema), required=True)


class ResumeSchema(ma.Schema):
    module = ma.fields.String(required=True)
    lesson = ma.fields.String(required=True)
    position = ma.fields.Float(required=True, allow_none=True)


class MyCourseSchema(ma.Schema):
    course = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    version = ma.fields.String(required=True)
    percent = ma.fields.Integer(required=True)
    resume = ma.fields.Nested(ResumeSchema, required=True, allow_none=True)
    enrolled_at = ma.fields.AwareDateTime(required=True)
    last_activity_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    completed_at = ma.fields.AwareDateTime(required=True, allow_none=True)


class MyProgressSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MyCourseSchema), required=True)


STATES = ["not_started", "started", "completed", "locked"]


class LessonProgressSchema(ma.Schema):
    slug = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    state = ma.fields.String(required=True, validate=validate.OneOf(STATES))
    position = ma.fields.Float(required=True, allow_none=True)
    completed_at = ma.fields.AwareDateTime(required=True, allow_none=True)


class QuizProgressSchema(ma.Schema):
    slug = ma.fields.String(required=True)
    passed = ma.fields.Boolean(required=True)
    best_score = ma.fields.Integer(required=True, allow_none=True)
    attempts = ma.fields.Integer(required=True)
    pass_mark = ma.fields.Integer(required=True)


class ModuleProgressSchema(ma.Schema):
    slug = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    state = ma.fields.String(required=True, validate=validate.OneOf(STATES))
    lessons = ma.fields.List(ma.fields.Nested(LessonProgressSchema), required=True)
    quiz = ma.fields.Nested(QuizProgressSchema, required=True, allow_none=True)


class CourseProgressSchema(ma.Schema):
    course = ma.fields.String(required=True)
    version = ma.fields.String(required=True)
    language = ma.fields.String(required=True)
    enrolled = ma.fields.Boolean(required=True)
    percent = ma.fields.Integer(required=True)
    completed_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    last_activity_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    resume = ma.fields.Nested(ResumeSchema, required=True, allow_none=True)
    modules = ma.fields.List(ma.fields.Nested(ModuleProgressSchema), required=True)


class AnswerSchema(ma.Schema):
    question = ma.fields.String(required=True)
    answer = ma.fields.Raw(
        required=True,
        allow_none=True,
        metadata={"description": "An option id, a list of option ids, a number, or true/false"},
    )


class AttemptSchema(ma.Schema):
    id = ma.fields.UUID(
        load_default=None, metadata={"description": "Client-chosen; resending it is harmless"}
    )
    answers = ma.fields.List(ma.fields.Nested(AnswerSchema), required=True)


class QuestionFeedbackSchema(ma.Schema):
    question = ma.fields.String(required=True)
    correct = ma.fields.Boolean(required=True)
    explanation = ma.fields.String(required=True)


class AttemptResultSchema(ma.Schema):
    quiz = ma.fields.String(required=True)
    language = ma.fields.String(required=True)
    score = ma.fields.Integer(required=True, metadata={"description": "Percent right"})
    passed = ma.fields.Boolean(required=True)
    pass_mark = ma.fields.Integer(required=True)
    best_score = ma.fields.Integer(required=True)
    questions = ma.fields.List(ma.fields.Nested(QuestionFeedbackSchema), required=True)


class EnrolmentSchema(ma.Schema):
    course = ma.fields.String(required=True)
    version = ma.fields.String(required=True, metadata={"description": "The version taken"})
    enrolled_at = ma.fields.AwareDateTime(required=True)
    completed_at = ma.fields.AwareDateTime(required=True, allow_none=True)


class StatementResultSchema(ma.Schema):
    """An xAPI StatementResult."""

    statements = ma.fields.List(
        ma.fields.Dict(metadata={"description": "An xAPI 1.0.3 statement"}), required=True
    )
    more = ma.fields.String(
        required=True, metadata={"description": "Path of the next page, or empty at the end"}
    )
