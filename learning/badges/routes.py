"""/api/v1 badges and /ob, the Open Badges 2.0 hosted verification: thin views over badges.

Every /ob document answers JSON-LD to machines and a human verification page to browsers,
from the same URL: `Accept: text/html` gets the page, anything else application/ld+json
(or application/json when that is what the client asks for).
"""

from flask import Response, jsonify, render_template, request
from flask.views import MethodView
from flask_jwt_extended import current_user

from learning.api import Blueprint
from learning.badges import pages, services
from learning.badges.schemas import (
    AssertionDocumentSchema,
    AwardPageSchema,
    AwardSchema,
    AwardVisibilitySchema,
    BadgeClassDocumentSchema,
    BadgeListArgsSchema,
    BadgePageSchema,
    BadgeSchema,
    CourseBadgeSchema,
    ProfileDocumentSchema,
    RevocationListDocumentSchema,
    RevocationSchema,
    RevokedAssertionDocumentSchema,
)
from learning.courses.routes import preferred_languages
from learning.courses.schemas import LanguageArgsSchema, PagedLanguageArgsSchema

bp = Blueprint(
    "badges",
    __name__,
    url_prefix="/api/v1",
    description="Badge classes, my badges, baked images, revocation and course-defined badges.",
)
ob = Blueprint(
    "openbadges",
    __name__,
    url_prefix="/ob",
    description="Open Badges 2.0 hosted verification: JSON-LD for machines, a page for people.",
)

JSON_LD = "application/ld+json"
JSON = "application/json"
HTML = "text/html"
SVG = "image/svg+xml"


def negotiated(status: int, schema, description: str):
    """Document what content negotiation adds to a JSON-LD answer: the same document as plain
    JSON, and a page for people with `Accept: text/html`."""

    def decorator(view):
        view = ob.alt_response(
            status, success=status < 400, content_type=JSON, schema=schema, description=description
        )(view)
        return ob.alt_response(
            status,
            success=status < 400,
            content_type=HTML,
            schema={"type": "string"},
            description=description,
        )(view)

    return decorator


def public_languages(args: dict) -> list[str]:
    """?lang= first, then Accept-Language in order of quality: /ob pages are the same for
    everyone, signed in or not."""
    preferred = [args["lang"]] if args.get("lang") else []
    return preferred + [value.split("-")[0].lower() for value, _ in request.accept_languages]


def negotiated_type() -> str:
    """What the client prefers of JSON-LD, JSON and HTML; JSON-LD when it does not say or
    takes anything (*/*)."""
    return request.accept_mimetypes.best_match([JSON_LD, JSON, HTML], default=JSON_LD)


@ob.after_request
def _negotiated_headers(response: Response) -> Response:
    """JSON answers take the negotiated type; the documents are public, for any origin."""
    if response.mimetype == JSON and negotiated_type() == JSON_LD:
        response.mimetype = JSON_LD
    response.headers.setdefault("Access-Control-Allow-Origin", "*")
    response.vary.add("Accept")
    response.vary.add("Accept-Language")
    return response


def _page(template: str, status: int = 200, **context) -> Response:
    html = render_template(template, **context)
    return Response(
        html,
        status=status,
        mimetype=HTML,
        headers={"Content-Language": context["language"]},
    )


@bp.route("/badges")
class Badges(MethodView):
    @bp.arguments(BadgeListArgsSchema, location="query")
    @bp.response(200, BadgePageSchema)
    def get(self, args):
        """Badge classes and their criteria: the platform's, then those courses define."""
        return services.list_badges(
            preferred=preferred_languages(args),
            course=args.get("course"),
            page=args["page"],
            per_page=args["per_page"],
        )


@bp.route("/badges/<slug>")
class OneBadge(MethodView):
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.response(200, BadgeSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, args, slug):
        """One badge class and its criteria."""
        return services.get_badge(slug=slug, preferred=preferred_languages(args))


@bp.route("/courses/<course>/badges")
class CourseBadges(MethodView):
    @bp.login_required("author", "admin")
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.arguments(CourseBadgeSchema)
    @bp.response(201, BadgeSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, args, definition, course):
        """Define a badge of a course (its authors and admins): name, description and criteria
        in nl, fr and en, colour, icon, and a rule about the course."""
        return services.define_course_badge(
            user=current_user,
            course=course,
            definition=definition,
            preferred=preferred_languages(args),
        )


@bp.route("/me/badges")
class MyBadges(MethodView):
    @bp.login_required()
    @bp.arguments(PagedLanguageArgsSchema, location="query")
    @bp.response(200, AwardPageSchema)
    def get(self, args):
        """My awards, newest first; revoked ones are marked."""
        return services.my_badges(
            user=current_user,
            preferred=preferred_languages(args),
            page=args["page"],
            per_page=args["per_page"],
        )


@bp.route("/me/badges/<assertion_id>")
class MyAward(MethodView):
    @bp.login_required()
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.arguments(AwardVisibilitySchema)
    @bp.response(200, AwardSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def patch(self, args, visibility, assertion_id):
        """Choose whether the award's public verification page shows my display name."""
        return services.show_my_name(
            user=current_user,
            assertion_id=assertion_id,
            show_name=visibility["show_name"],
            preferred=preferred_languages(args),
        )


@bp.route("/me/badges/<assertion_id>/baked.svg")
class BakedBadge(MethodView):
    @bp.login_required()
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.response(200, content_type=SVG, description="The SVG image with its assertion baked in")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    def get(self, args, assertion_id):
        """My badge's image with its Open Badges assertion baked in, for a backpack."""
        svg, filename = services.baked_image(
            user=current_user, assertion_id=assertion_id, preferred=preferred_languages(args)
        )
        return Response(
            svg,
            mimetype=SVG,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )


@bp.route("/badges/assertions/<assertion_id>/revoke")
class Revocation(MethodView):
    @bp.login_required("admin")
    @bp.arguments(RevocationSchema)
    @bp.response(200, AwardSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def post(self, revocation, assertion_id):
        """Revoke an award for good, with the reason verifiers will see (admins)."""
        return services.revoke_assertion(
            admin=current_user, assertion_id=assertion_id, reason=revocation["reason"]
        )


@ob.route("/issuer")
class Issuer(MethodView):
    @ob.arguments(LanguageArgsSchema, location="query")
    @ob.response(200, ProfileDocumentSchema, content_type=JSON_LD)
    @negotiated(200, ProfileDocumentSchema, "The issuer's Profile; a page with `Accept: text/html`")
    def get(self, args):
        """The issuer's Profile."""
        profile = services.issuer_profile(preferred=public_languages(args))
        if negotiated_type() == HTML:
            return _page("badges/issuer.html", issuer=profile, **pages.context(profile["language"]))
        return profile


@ob.route("/badges/<slug>")
class BadgeClassDocument(MethodView):
    @ob.arguments(LanguageArgsSchema, location="query")
    @ob.response(200, BadgeClassDocumentSchema, content_type=JSON_LD)
    @negotiated(200, BadgeClassDocumentSchema, "The BadgeClass; a page with `Accept: text/html`")
    @ob.alt_response(404, response="NOT_FOUND")
    def get(self, args, slug):
        """A BadgeClass: name, description, criteria, image and issuer."""
        found = services.badge_class(slug=slug, preferred=public_languages(args))
        if negotiated_type() == HTML:
            return _page(
                "badges/badge.html",
                badge=found["badge"],
                issuer=found["issuer"],
                **pages.context(found["language"]),
            )
        return found["document"]


@ob.route("/badges/<slug>/image.svg")
class BadgeImage(MethodView):
    @ob.arguments(LanguageArgsSchema, location="query")
    @ob.response(200, content_type=SVG, description="The badge's SVG image")
    @ob.alt_response(404, response="NOT_FOUND")
    def get(self, args, slug):
        """The badge's image, drawn from its name, colour and icon."""
        svg = services.badge_image(slug=slug, preferred=public_languages(args))
        return Response(svg, mimetype=SVG, headers={"Cache-Control": "public, max-age=3600"})


@ob.route("/assertions/<assertion_id>")
class AssertionDocument(MethodView):
    @ob.arguments(LanguageArgsSchema, location="query")
    @ob.response(200, AssertionDocumentSchema, content_type=JSON_LD)
    @negotiated(200, AssertionDocumentSchema, "The Assertion; a page with `Accept: text/html`")
    @ob.alt_response(
        410,
        schema=RevokedAssertionDocumentSchema,
        content_type=JSON_LD,
        description="Revoked: the assertion's id, revoked true and the reason",
    )
    @negotiated(
        410,
        RevokedAssertionDocumentSchema,
        "Revoked: the assertion's id, revoked true and the reason; a page with `Accept: text/html`",
    )
    @ob.alt_response(404, response="NOT_FOUND")
    def get(self, args, assertion_id):
        """A hosted Assertion, for anyone to verify; a revoked one answers 410 Gone."""
        hosted = services.hosted_assertion(
            assertion_id=assertion_id, preferred=public_languages(args)
        )
        status = 410 if hosted.revoked else 200
        if negotiated_type() == HTML:
            return _page(
                "badges/assertion.html",
                status=status,
                hosted=hosted,
                **pages.context(
                    hosted.language, issued_on=hosted.issued_on, revoked_at=hosted.revoked_at
                ),
            )
        if hosted.revoked:
            gone = jsonify(RevokedAssertionDocumentSchema().dump(hosted.document))
            gone.status_code = 410
            return gone
        return hosted.document


@ob.route("/revocations")
class RevocationList(MethodView):
    @ob.response(200, RevocationListDocumentSchema, content_type=JSON_LD)
    def get(self):
        """The issuer's RevocationList: every revoked assertion and why."""
        return services.revocation_list()
