"""What goes in and out of the certification API."""

import marshmallow as ma
from marshmallow import validate

from learning.api import PageArgsSchema
from learning.certification.models import ACTION_KINDS, DECISIONS, PENDING, STATUSES
from learning.courses.schemas import LanguageArgsSchema


class PledgedActionSchema(ma.Schema):
    kind = ma.fields.String(
        required=True,
        validate=validate.OneOf(ACTION_KINDS),
        metadata={"description": "personal, or with_others for one that involves other people"},
    )
    action = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "A catalogue action's slug (GET /api/v1/actions), or none"},
    )
    description = ma.fields.String(
        required=True,
        validate=validate.Length(min=1, max=2000),
        metadata={"description": "What I will do"},
    )
    by = ma.fields.Date(required=True, metadata={"description": "By when, from today on"})


class RevisionSchema(ma.Schema):
    """The content of a submission; a first one also names the course."""

    id = ma.fields.UUID(
        load_default=None, metadata={"description": "Client-chosen; resending it is harmless"}
    )
    reflection = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=10_000),
        metadata={"description": "My reflection on the course, as one text"},
    )
    reflections = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(validate=validate.Length(max=5000)),
        load_default=dict,
        metadata={
            "description": "My answers by reflection prompt id (the course's "
            "reflection_prompts); given, every prompt is answered"
        },
    )
    actions = ma.fields.List(
        ma.fields.Nested(PledgedActionSchema),
        required=True,
        validate=validate.Length(equal=2),
        metadata={"description": "Two pledged actions: one personal and one with_others"},
    )


class SubmissionSchema(RevisionSchema):
    course = ma.fields.String(
        required=True, validate=validate.Length(min=1, max=64), metadata={"description": "Slug"}
    )


class ReviewSchema(ma.Schema):
    decision = ma.fields.String(required=True, validate=validate.OneOf(DECISIONS))
    comment = ma.fields.String(
        load_default="",
        validate=validate.Length(max=5000),
        metadata={"description": "For the learner; required when asking for changes"},
    )


class QueueArgsSchema(PageArgsSchema, LanguageArgsSchema):
    status = ma.fields.String(load_default=PENDING, validate=validate.OneOf(STATUSES))


class ReflectionAnswerSchema(ma.Schema):
    prompt = ma.fields.String(required=True)
    question = ma.fields.String(required=True, allow_none=True)
    answer = ma.fields.String(required=True)


class SubmittedActionSchema(ma.Schema):
    kind = ma.fields.String(required=True)
    action = ma.fields.String(required=True, allow_none=True)
    description = ma.fields.String(required=True)
    by = ma.fields.String(required=True, metadata={"description": "A date, YYYY-MM-DD"})


class SubmittedSchema(ma.Schema):
    number = ma.fields.Integer(required=True)
    submitted_at = ma.fields.AwareDateTime(required=True)
    reflection = ma.fields.String(required=True, allow_none=True)
    reflections = ma.fields.List(ma.fields.Nested(ReflectionAnswerSchema), required=True)
    actions = ma.fields.List(ma.fields.Nested(SubmittedActionSchema), required=True)


class CertificationReviewSchema(ma.Schema):
    submission = ma.fields.Integer(required=True, metadata={"description": "Its number"})
    decision = ma.fields.String(required=True)
    comment = ma.fields.String(required=True)
    reviewer_id = ma.fields.Integer(required=True, allow_none=True)
    reviewed_at = ma.fields.AwareDateTime(required=True)


class LearnerSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    display_name = ma.fields.String(required=True)


class CertificationSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    course = ma.fields.String(required=True)
    course_title = ma.fields.String(required=True)
    course_version = ma.fields.String(required=True)
    learner = ma.fields.Nested(LearnerSchema, required=True)
    status = ma.fields.String(required=True, validate=validate.OneOf(STATUSES))
    number = ma.fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "CL-<year>-<6 digits> once approved"},
    )
    created_at = ma.fields.AwareDateTime(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)
    approved_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    certificate_url = ma.fields.String(
        required=True, allow_none=True, metadata={"description": "The printable PDF, once approved"}
    )
    verification_url = ma.fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Where anyone verifies the certificate (its badge's assertion)"},
    )
    submissions = ma.fields.List(ma.fields.Nested(SubmittedSchema), required=True)
    reviews = ma.fields.List(ma.fields.Nested(CertificationReviewSchema), required=True)


class CertificationListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CertificationSchema), required=True)


class CertificationPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CertificationSchema), required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)
