"""/api/v1/certifications and /api/v1/me/certifications: thin views over the certification."""

from flask import Response
from flask.views import MethodView
from flask_jwt_extended import current_user

from learning.api import Blueprint
from learning.certification import services
from learning.certification.schemas import (
    CertificationListSchema,
    CertificationPageSchema,
    CertificationSchema,
    QueueArgsSchema,
    ReviewSchema,
    RevisionSchema,
    SubmissionSchema,
)
from learning.courses.routes import preferred_languages
from learning.courses.schemas import LanguageArgsSchema

bp = Blueprint(
    "certification",
    __name__,
    url_prefix="/api/v1",
    description="The Carbon Literate certification: submissions, assessor review, certificates.",
)

ASSESSOR = "assessor"


@bp.route("/certifications")
class Certifications(MethodView):
    @bp.login_required()
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.arguments(SubmissionSchema)
    @bp.response(201, CertificationSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, args, submission):
        """Apply for certification after completing a certifiable course: my reflections and two
        pledged actions, one personal and one with_others."""
        return services.submit_certification(
            user=current_user,
            course=submission["course"],
            reflection=submission["reflection"],
            reflections=submission["reflections"],
            actions=submission["actions"],
            client_id=submission["id"],
            preferred=preferred_languages(args),
        )

    @bp.login_required(ASSESSOR)
    @bp.arguments(QueueArgsSchema, location="query")
    @bp.response(200, CertificationPageSchema)
    def get(self, args):
        """The assessors' queue: certifications of a status (pending by default), oldest
        first, never my own."""
        return services.review_queue(
            assessor=current_user,
            status=args["status"],
            preferred=preferred_languages(args),
            page=args["page"],
            per_page=args["per_page"],
        )


@bp.route("/certifications/<int:certification_id>")
class OneCertification(MethodView):
    @bp.login_required(ASSESSOR)
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.response(200, CertificationSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, args, certification_id):
        """A certification with its history, for assessors (not their own)."""
        return services.certification_for_assessor(
            assessor=current_user,
            certification_id=certification_id,
            preferred=preferred_languages(args),
        )


@bp.route("/certifications/<int:certification_id>/review")
class Review(MethodView):
    @bp.login_required(ASSESSOR)
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.arguments(ReviewSchema)
    @bp.response(200, CertificationSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, args, review, certification_id):
        """Approve a pending certification, or ask for changes with a comment."""
        return services.review_certification(
            assessor=current_user,
            certification_id=certification_id,
            decision=review["decision"],
            comment=review["comment"],
            preferred=preferred_languages(args),
        )


@bp.route("/me/certifications")
class MyCertifications(MethodView):
    @bp.login_required()
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.response(200, CertificationListSchema)
    def get(self, args):
        """My certifications with their history, newest first."""
        return {
            "items": services.my_certifications(
                user=current_user, preferred=preferred_languages(args)
            )
        }


@bp.route("/me/certifications/<int:certification_id>")
class MyCertification(MethodView):
    @bp.login_required()
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.response(200, CertificationSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, args, certification_id):
        """One of my certifications with every submission and review."""
        return services.my_certification(
            user=current_user,
            certification_id=certification_id,
            preferred=preferred_languages(args),
        )


@bp.route("/me/certifications/<int:certification_id>/submissions")
class Resubmission(MethodView):
    @bp.login_required()
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.arguments(RevisionSchema)
    @bp.response(201, CertificationSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, args, revision, certification_id):
        """Submit a revised version after an assessor asked for changes."""
        return services.resubmit_certification(
            user=current_user,
            certification_id=certification_id,
            reflection=revision["reflection"],
            reflections=revision["reflections"],
            actions=revision["actions"],
            client_id=revision["id"],
            preferred=preferred_languages(args),
        )


@bp.route("/me/certifications/<int:certification_id>/certificate.pdf")
class Certificate(MethodView):
    @bp.login_required()
    @bp.response(200, content_type="application/pdf", description="An A4 PDF certificate")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    def get(self, certification_id):
        """My printable certificate, in my language, with its number and a QR code to verify it."""
        pdf, filename = services.certificate_pdf(
            user=current_user, certification_id=certification_id
        )
        return Response(
            pdf,
            mimetype="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )
