"""What goes in and out of the badges API and the Open Badges documents."""

import marshmallow as ma
from marshmallow import validate

from learning.api import PageArgsSchema
from learning.badges.definitions import (
    COURSE_RULE_TYPES,
    RULE_DESCRIPTION,
    BadgeDefinitionSchema,
    CourseRuleSchema,
)
from learning.badges.images import MAX_AUTHORED_BYTES
from learning.courses.schemas import LanguageArgsSchema


class BadgeListArgsSchema(PageArgsSchema, LanguageArgsSchema):
    course = ma.fields.String(
        metadata={"description": "Only the badges whose rule is about this course (slug)"}
    )


class BadgeSchema(ma.Schema):
    slug = ma.fields.String(required=True)
    id = ma.fields.String(required=True, metadata={"description": "The Open Badges BadgeClass id"})
    name = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    criteria = ma.fields.String(required=True, metadata={"description": "How it is earned"})
    image = ma.fields.String(required=True, metadata={"description": "URL of its SVG image"})
    colour = ma.fields.String(required=True)
    icon = ma.fields.String(required=True)
    rule = ma.fields.Dict(required=True, metadata={"description": RULE_DESCRIPTION})
    course = ma.fields.String(
        required=True, allow_none=True, metadata={"description": "The course that defined it"}
    )


class BadgePageSchema(ma.Schema):
    language = ma.fields.String(required=True)
    items = ma.fields.List(ma.fields.Nested(BadgeSchema), required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)


class AwardSchema(ma.Schema):
    id = ma.fields.String(required=True, metadata={"description": "The assertion's id"})
    badge = ma.fields.Nested(BadgeSchema, required=True)
    issued_on = ma.fields.AwareDateTime(required=True)
    assertion_url = ma.fields.String(
        required=True, metadata={"description": "Where anyone verifies it (Open Badges 2.0)"}
    )
    baked_url = ma.fields.String(
        required=True, metadata={"description": "The image with the assertion baked in"}
    )
    certificate_number = ma.fields.String(required=True, allow_none=True)
    show_name = ma.fields.Boolean(
        required=True, metadata={"description": "Whether its public page shows my display name"}
    )
    revoked = ma.fields.Boolean(required=True)
    revoked_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    revocation_reason = ma.fields.String(required=True, allow_none=True)


class AwardPageSchema(ma.Schema):
    language = ma.fields.String(required=True)
    items = ma.fields.List(ma.fields.Nested(AwardSchema), required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)


class AwardVisibilitySchema(ma.Schema):
    show_name = ma.fields.Boolean(required=True)


class RevocationSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=validate.Length(min=1, max=300))


class CourseBadgeSchema(BadgeDefinitionSchema):
    """A badge a course defines; its rule's course is the course itself."""

    rule = ma.fields.Nested(
        CourseRuleSchema,
        required=True,
        metadata={
            "description": f"{RULE_DESCRIPTION} A course's badge uses "
            f"{', '.join(COURSE_RULE_TYPES)}."
        },
    )
    image_svg = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=MAX_AUTHORED_BYTES),
        metadata={
            "description": "An authored SVG image: shapes, text and gradients only (no script, "
            "style, event handler, image or link out of the image); without one it is drawn"
        },
    )


# Open Badges 2.0 documents: JSON-LD keys through data_key.


class CriteriaSchema(ma.Schema):
    narrative = ma.fields.String(required=True)


class ProfileDocumentSchema(ma.Schema):
    context = ma.fields.String(required=True, data_key="@context")
    type = ma.fields.String(required=True)
    id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    url = ma.fields.String(required=True)
    email = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    revocation_list = ma.fields.String(required=True, data_key="revocationList")
    language = ma.fields.String(required=True, data_key="@language")


class BadgeClassDocumentSchema(ma.Schema):
    context = ma.fields.String(required=True, data_key="@context")
    type = ma.fields.String(required=True)
    id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    image = ma.fields.String(required=True)
    criteria = ma.fields.Nested(CriteriaSchema, required=True)
    issuer = ma.fields.String(required=True)
    language = ma.fields.String(required=True, data_key="@language")


class IdentitySchema(ma.Schema):
    type = ma.fields.String(required=True)
    hashed = ma.fields.Boolean(required=True)
    salt = ma.fields.String(required=True)
    identity = ma.fields.String(required=True, metadata={"description": "sha256$ + hex digest"})


class VerificationSchema(ma.Schema):
    type = ma.fields.String(required=True)


class EvidenceSchema(ma.Schema):
    type = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    narrative = ma.fields.String(required=True)
    genre = ma.fields.String(required=True)


class AssertionDocumentSchema(ma.Schema):
    context = ma.fields.String(required=True, data_key="@context")
    type = ma.fields.String(required=True)
    id = ma.fields.String(required=True)
    recipient = ma.fields.Nested(IdentitySchema, required=True)
    badge = ma.fields.String(required=True)
    image = ma.fields.String(required=True)
    issued_on = ma.fields.AwareDateTime(required=True, data_key="issuedOn")
    verification = ma.fields.Nested(VerificationSchema, required=True)
    evidence = ma.fields.List(
        ma.fields.Nested(EvidenceSchema),
        metadata={"description": "The certificate, for the certification's badges"},
    )
    language = ma.fields.String(required=True, data_key="@language")


class RevokedAssertionDocumentSchema(ma.Schema):
    context = ma.fields.String(required=True, data_key="@context")
    type = ma.fields.String(required=True)
    id = ma.fields.String(required=True)
    revoked = ma.fields.Boolean(required=True)
    revocation_reason = ma.fields.String(required=True, data_key="revocationReason")


class RevokedEntrySchema(ma.Schema):
    id = ma.fields.String(required=True)
    revocation_reason = ma.fields.String(required=True, data_key="revocationReason")


class RevocationListDocumentSchema(ma.Schema):
    context = ma.fields.String(required=True, data_key="@context")
    type = ma.fields.String(required=True)
    id = ma.fields.String(required=True)
    issuer = ma.fields.String(required=True)
    revoked_assertions = ma.fields.List(
        ma.fields.Nested(RevokedEntrySchema), required=True, data_key="revokedAssertions"
    )
