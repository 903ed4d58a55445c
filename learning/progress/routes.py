"""/api/v1/progress, /api/v1/me/progress, enrolment and quiz attempts: thin views over progress."""

from flask.views import MethodView
from flask_jwt_extended import current_user

from learning.api import Blueprint, PageArgsSchema
from learning.courses.routes import preferred_languages
from learning.courses.schemas import LanguageArgsSchema
from learning.progress import services, xapi
from learning.progress.schemas import (
    AttemptResultSchema,
    AttemptSchema,
    CourseProgressSchema,
    EnrolmentSchema,
    EventBatchSchema,
    EventResultsSchema,
    MyProgressSchema,
    StatementResultSchema,
)

bp = Blueprint(
    "progress",
    __name__,
    url_prefix="/api/v1",
    description="Enrolment, offline progress sync, quizzes and my progress.",
)


@bp.route("/courses/<slug>/enrolment")
class Enrolment(MethodView):
    @bp.login_required()
    @bp.response(200, EnrolmentSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def post(self, slug):
        """Enrol me in a published course (enrolling twice changes nothing)."""
        return services.enrol(user=current_user, slug=slug)


@bp.route("/courses/<slug>/quizzes/<quiz>/attempts")
class QuizAttempts(MethodView):
    @bp.login_required()
    @bp.arguments(LanguageArgsSchema, location="query", as_kwargs=True)
    @bp.arguments(AttemptSchema)
    @bp.response(201, AttemptResultSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @bp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, attempt, slug, quiz, **language):
        """Submit answers; graded on the server: score, passed, and feedback per question."""
        return services.submit_attempt(
            user=current_user,
            slug=slug,
            quiz_slug=quiz,
            answers=attempt["answers"],
            client_id=attempt["id"],
            preferred=preferred_languages(language),
        )


@bp.route("/progress/events")
class ProgressEvents(MethodView):
    @bp.login_required()
    @bp.arguments(EventBatchSchema)
    @bp.response(200, EventResultsSchema)
    def post(self, batch):
        """Sync events recorded offline; each gets accepted, duplicate or rejected (why)."""
        return {"results": services.sync_events(user=current_user, events_in=batch["events"])}


@bp.route("/me/progress")
class MyProgress(MethodView):
    @bp.read_only
    @bp.login_required()
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.response(200, MyProgressSchema)
    def get(self, args):
        """My courses: percent done, where to resume, last activity."""
        return {
            "items": services.my_progress(user=current_user, preferred=preferred_languages(args))
        }


@bp.route("/me/courses/<slug>/progress")
class MyCourseProgress(MethodView):
    @bp.login_required()
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.response(200, CourseProgressSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, args, slug):
        """My state per module and lesson in one course, with quiz best scores."""
        return services.course_progress(
            user=current_user, slug=slug, preferred=preferred_languages(args)
        )


@bp.route("/me/progress/xapi")
class MyStatements(MethodView):
    @bp.login_required()
    @bp.arguments(PageArgsSchema, location="query")
    @bp.response(200, StatementResultSchema)
    def get(self, args):
        """My progress as xAPI 1.0.3 statements, for a learning record store."""
        return xapi.statements(user=current_user, page=args["page"], per_page=args["per_page"])
