"""What goes in and out of the actions, pledges and impact APIs."""

import marshmallow as ma
from marshmallow import validate

from learning.actions.catalogue import AUDIENCES, SLUG
from learning.actions.impact import CSV_COLUMNS, MIN_GROUP, SCOPE_PATTERN
from learning.actions.models import KINDS, REPORTED_STATUSES, STATUSES
from learning.api import PageArgsSchema
from learning.courses.schemas import LanguageArgsSchema

# The highest self-estimate accepted: above a Belgian's whole yearly footprint is not credible.
MAX_SELF_ESTIMATE_KG = 20_000


class ActionListArgsSchema(PageArgsSchema, LanguageArgsSchema):
    category = ma.fields.String(
        validate=SLUG, metadata={"description": "home-energy, mobility, food, ..."}
    )
    kind = ma.fields.String(validate=validate.OneOf(KINDS))
    audience = ma.fields.String(validate=validate.OneOf(AUDIENCES))


class SavingRangeSchema(ma.Schema):
    central = ma.fields.Float(required=True, metadata={"description": "The estimate counted"})
    low = ma.fields.Float(required=True)
    high = ma.fields.Float(required=True)


class ActionSourceSchema(ma.Schema):
    title = ma.fields.String(required=True)
    publisher = ma.fields.String(required=True, allow_none=True)
    year = ma.fields.Integer(required=True)
    url = ma.fields.String(required=True)


class EmissionFactorSchema(ma.Schema):
    slug = ma.fields.String(required=True)
    label = ma.fields.String(required=True)
    value = ma.fields.Float(required=True)
    unit = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True, metadata={"description": "The year the value is of"})


class ActionSchema(ma.Schema):
    slug = ma.fields.String(required=True)
    category = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=validate.OneOf(KINDS))
    audience = ma.fields.List(ma.fields.String(validate=validate.OneOf(AUDIENCES)), required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    kg_co2e_per_year = ma.fields.Nested(
        SavingRangeSchema,
        required=True,
        metadata={"description": "Estimated saving in kg CO2e a year: central, low and high"},
    )
    assumptions = ma.fields.String(required=True)
    factors = ma.fields.List(ma.fields.Nested(EmissionFactorSchema), required=True)
    overlaps = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={"description": "Actions whose savings partly count the same emissions"},
    )
    sources = ma.fields.List(ma.fields.Nested(ActionSourceSchema), required=True)


class CustomActionSchema(ma.Schema):
    title = ma.fields.String(required=True, validate=validate.Length(min=1, max=120))
    kg_co2e_per_year = ma.fields.Float(
        required=True,
        allow_nan=False,
        validate=validate.Range(min=0, max=MAX_SELF_ESTIMATE_KG, min_inclusive=False),
        metadata={"description": "My own estimate; counted apart, as self-estimated"},
    )
    kind = ma.fields.String(load_default="personal", validate=validate.OneOf(KINDS))


class PledgeCreateSchema(ma.Schema):
    id = ma.fields.UUID(
        load_default=None, metadata={"description": "Client-chosen; resending it is harmless"}
    )
    action = ma.fields.String(
        validate=validate.Length(min=1, max=64), metadata={"description": "A catalogue slug"}
    )
    custom = ma.fields.Nested(CustomActionSchema)

    @ma.validates_schema
    def one_of_action_or_custom(self, data, **_kwargs):
        if ("action" in data) == ("custom" in data):
            raise ma.ValidationError("Send either action or custom.", "_schema")


class PledgeReportCreateSchema(ma.Schema):
    id = ma.fields.UUID(
        load_default=None, metadata={"description": "Client-chosen; resending it is harmless"}
    )
    status = ma.fields.String(required=True, validate=validate.OneOf(REPORTED_STATUSES))
    note = ma.fields.String(load_default=None, validate=validate.Length(max=500))


class PledgeReportSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    status = ma.fields.String(required=True, validate=validate.OneOf(REPORTED_STATUSES))
    note = ma.fields.String(required=True, allow_none=True)
    reported_at = ma.fields.AwareDateTime(required=True)


class PledgeSummarySchema(ma.Schema):
    """A pledge as a circle's facilitators see it in the end report."""

    action = ma.fields.String(required=True, allow_none=True)
    title = ma.fields.String(required=True)
    category = ma.fields.String(required=True, allow_none=True)
    kind = ma.fields.String(required=True, validate=validate.OneOf(KINDS))
    self_estimated = ma.fields.Boolean(required=True)
    kg_co2e_per_year = ma.fields.Float(required=True)
    status = ma.fields.String(required=True, validate=validate.OneOf(STATUSES))


class PledgeSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    action = ma.fields.String(
        required=True, allow_none=True, metadata={"description": "None when self-estimated"}
    )
    title = ma.fields.String(required=True)
    category = ma.fields.String(required=True, allow_none=True)
    kind = ma.fields.String(required=True, validate=validate.OneOf(KINDS))
    self_estimated = ma.fields.Boolean(required=True)
    kg_co2e_per_year = ma.fields.Float(
        required=True, metadata={"description": "The estimate counted, fixed when pledged"}
    )
    status = ma.fields.String(required=True, validate=validate.OneOf(STATUSES))
    pledged_at = ma.fields.AwareDateTime(required=True)
    kept_since = ma.fields.AwareDateTime(
        required=True, allow_none=True, metadata={"description": "First ongoing or done report"}
    )
    done_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    dropped_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    realised_kg_co2e = ma.fields.Float(
        required=True, metadata={"description": "Avoided so far: see docs/impact-method.md"}
    )
    reports = ma.fields.List(ma.fields.Nested(PledgeReportSchema), required=True)


class PledgeListArgsSchema(PageArgsSchema, LanguageArgsSchema):
    status = ma.fields.String(validate=validate.OneOf(STATUSES))


class ImpactArgsSchema(ma.Schema):
    scope = ma.fields.String(
        load_default="region",
        validate=validate.Regexp(
            SCOPE_PATTERN,
            error="Use region, commune:<slug>, course:<slug>, class:<id> or circle:<id>.",
        ),
        metadata={
            "description": "region, commune:<slug>, course:<slug>, class:<id> or circle:<id>"
        },
    )


class ImpactFiguresSchema(ma.Schema):
    learners = ma.fields.Integer(
        required=True, metadata={"description": f"Learners counted; never under {MIN_GROUP}"}
    )
    pledges = ma.fields.Integer(required=True, metadata={"description": "Live pledges"})
    pledged_kg_co2e_per_year = ma.fields.Float(
        required=True, metadata={"description": "Expected annual saving of live pledges"}
    )
    realised_kg_co2e = ma.fields.Float(
        required=True, metadata={"description": "Avoided so far, prorated by days kept"}
    )


class ImpactCategorySchema(ImpactFiguresSchema):
    category = ma.fields.String(
        required=True, metadata={"description": "A catalogue category, or other (folded)"}
    )


class ImpactMonthSchema(ImpactFiguresSchema):
    month = ma.fields.String(
        required=True,
        metadata={
            "description": "YYYY-MM in Brussels time, or other (folded); pledges and pledged "
            "by the month pledged, realised by the month it was avoided"
        },
    )


class ImpactCatalogueSchema(ImpactFiguresSchema):
    categories = ma.fields.List(ma.fields.Nested(ImpactCategorySchema), required=True)
    months = ma.fields.List(ma.fields.Nested(ImpactMonthSchema), required=True)


class ImpactSchema(ma.Schema):
    scope = ma.fields.String(required=True)
    as_of = ma.fields.Date(required=True, metadata={"description": "Today in Brussels"})
    minimum_group = ma.fields.Integer(required=True)
    withheld = ma.fields.Boolean(
        required=True, metadata={"description": f"Fewer than {MIN_GROUP} learners: no figures"}
    )
    learners = ma.fields.Integer(required=True, allow_none=True)
    pledges = ma.fields.Integer(required=True, allow_none=True)
    catalogue = ma.fields.Nested(
        ImpactCatalogueSchema,
        required=True,
        allow_none=True,
        metadata={"description": "Catalogue pledges; null when withheld"},
    )
    self_estimated = ma.fields.Nested(
        ImpactFiguresSchema,
        required=True,
        allow_none=True,
        metadata={"description": "Self-estimated pledges, never added to the catalogue's"},
    )


CSV_DESCRIPTION = (
    "The same figures as open data (CC BY 4.0), one row per total or breakdown entry, with the "
    f"columns {', '.join(CSV_COLUMNS)}; docs/impact-method.md documents them."
)
