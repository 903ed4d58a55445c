"""/api/v1/actions, /api/v1/me/pledges and /api/v1/impact: thin views over actions."""

from flask import Response
from flask.views import MethodView
from flask_jwt_extended import current_user

from learning.actions import impact, services
from learning.actions.catalogue import load_catalogue
from learning.actions.schemas import (
    CSV_DESCRIPTION,
    ActionListArgsSchema,
    ActionSchema,
    ImpactArgsSchema,
    ImpactSchema,
    PledgeCreateSchema,
    PledgeListArgsSchema,
    PledgeReportCreateSchema,
    PledgeSchema,
)
from learning.api import Blueprint, page_schema
from learning.courses.routes import preferred_languages
from learning.courses.schemas import LanguageArgsSchema

bp = Blueprint(
    "actions",
    __name__,
    url_prefix="/api/v1",
    description="Carbon actions: the cited catalogue, my pledges and reports, open impact.",
)
# A broken catalogue stops the app at start, not at a learner's first request.
bp.record_once(lambda _state: load_catalogue())

# Figures move by the day; a few minutes of caching spares the database on a busy public page.
IMPACT_HEADERS = {"Cache-Control": "public, max-age=300"}


def _language_headers(language: str) -> dict:
    return {"Content-Language": language, "Vary": "Accept-Language, Authorization"}


@bp.route("/actions")
class Actions(MethodView):
    @bp.arguments(ActionListArgsSchema, location="query")
    @bp.response(200, page_schema(ActionSchema, "ActionPage"))
    def get(self, args):
        """The action catalogue: estimated kg CO2e a year, assumptions and sources; filter by
        category, kind (personal or with_others) and audience."""
        result = services.list_actions(
            preferred=preferred_languages(args),
            category=args.get("category"),
            kind=args.get("kind"),
            audience=args.get("audience"),
            page=args["page"],
            per_page=args["per_page"],
        )
        return result, 200, _language_headers(result["language"])


@bp.route("/me/pledges")
class MyPledges(MethodView):
    @bp.login_required()
    @bp.arguments(PledgeListArgsSchema, location="query")
    @bp.response(200, page_schema(PledgeSchema, "PledgePage"))
    def get(self, args):
        """My pledges, newest first, with what each has realised so far."""
        result = services.my_pledges(
            user=current_user,
            preferred=preferred_languages(args),
            status=args.get("status"),
            page=args["page"],
            per_page=args["per_page"],
        )
        return result, 200, _language_headers(result["language"])

    @bp.login_required()
    @bp.arguments(LanguageArgsSchema, location="query", as_kwargs=True)
    @bp.arguments(PledgeCreateSchema)
    @bp.response(201, PledgeSchema)
    @bp.alt_response(409, response="CONFLICT")
    @bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, body, **language):
        """Pledge a catalogue action (`action`) or my own, self-estimated one (`custom`);
        resending the same `id` answers the same pledge."""
        return services.pledge_action(
            user=current_user,
            preferred=preferred_languages(language),
            action=body.get("action"),
            custom=body.get("custom"),
            pledge_id=body["id"],
        )


@bp.route("/me/pledges/<uuid:pledge_id>")
class MyPledge(MethodView):
    @bp.login_required()
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.response(200, PledgeSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, args, pledge_id):
        """One of my pledges, with its reports."""
        return services.my_pledge(
            user=current_user, pledge_id=pledge_id, preferred=preferred_languages(args)
        )


@bp.route("/me/pledges/<uuid:pledge_id>/reports")
class PledgeReports(MethodView):
    @bp.login_required()
    @bp.arguments(LanguageArgsSchema, location="query", as_kwargs=True)
    @bp.arguments(PledgeReportCreateSchema)
    @bp.response(201, PledgeSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, report, pledge_id, **language):
        """Report progress on my pledge: ongoing, done or dropped (final), with a note;
        answers the pledge with its history. Resending the same `id` changes nothing."""
        return services.report_progress(
            user=current_user,
            pledge_id=pledge_id,
            status=report["status"],
            note=report["note"],
            report_id=report["id"],
            preferred=preferred_languages(language),
        )


@bp.route("/impact")
class Impact(MethodView):
    @bp.read_only
    @bp.arguments(ImpactArgsSchema, location="query")
    @bp.response(200, ImpactSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, args):
        """Pledged and realised savings of the region, a commune, a course's learners, a class
        or a circle, by category and month; no group of fewer than 5 learners is ever shown."""
        return impact.impact_figures(scope=args["scope"]), 200, IMPACT_HEADERS


@bp.route("/impact.csv")
class ImpactCsv(MethodView):
    @bp.arguments(ImpactArgsSchema, location="query")
    @bp.response(
        200,
        {"type": "string"},
        description=CSV_DESCRIPTION,
        content_type="text/csv",
        headers={
            "Link": {
                "description": "The licence: <https://creativecommons.org/licenses/by/4.0/>",
                "schema": {"type": "string"},
            }
        },
    )
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, args):
        """The impact figures as open data: CSV under CC BY 4.0."""
        figures = impact.impact_figures(scope=args["scope"])
        name = f"carbonlit-impact-{args['scope'].replace(':', '-')}-{figures['as_of']}.csv"
        return Response(
            impact.impact_csv(figures),
            mimetype="text/csv",
            headers={
                **IMPACT_HEADERS,
                "Content-Disposition": f'attachment; filename="{name}"',
                "Link": f'<{impact.LICENCE_URL}>; rel="license"',
            },
        )
