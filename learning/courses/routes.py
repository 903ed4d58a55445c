"""/api/v1/courses (the catalogue) and /api/v1/authoring (uploading and publishing)."""

from flask import Response, request
from flask.views import MethodView
from flask_jwt_extended import current_user, get_current_user

from learning.api import Blueprint, page_schema, signed_in_user
from learning.courses import catalogue, services
from learning.courses.schemas import (
    AuthoredCourseSchema,
    CourseListArgsSchema,
    CourseOutlineSchema,
    CourseSummarySchema,
    LanguageArgsSchema,
    LessonContentSchema,
    QuizSchema,
    UploadSchema,
    VersionSchema,
)
from learning.middleware import accepts_uploads
from learning.progress import services as progress

bp = Blueprint(
    "courses", __name__, url_prefix="/api/v1/courses", description="The course catalogue."
)
authoring_bp = Blueprint(
    "authoring",
    __name__,
    url_prefix="/api/v1/authoring/courses",
    description="Uploading, previewing and publishing course packages (authors).",
)

# Published lessons change only when a new version is published; clients revalidate cheaply.
CONTENT_CACHE_CONTROL = "public, max-age=300"


def preferred_languages(args: dict) -> list[str]:
    """?lang=, then Accept-Language by quality, then the signed-in learner's locale."""
    preferred = [args["lang"]] if "lang" in args else []
    preferred += [value.split("-")[0].lower() for value, _ in request.accept_languages]
    user = signed_in_user()
    if user:
        preferred.append(user.locale)
    return preferred


def _content_headers(language: str) -> dict:
    return {
        "Content-Language": language,
        "Cache-Control": CONTENT_CACHE_CONTROL,
        "Vary": "Accept-Language, Authorization",
    }


def _cached_answer(document: catalogue.CachedDocument) -> Response:
    """The cached bytes as they are (they are the schema's dump already), or 304 when the
    client holds them: the hot path of reading a course serialises nothing."""
    headers = {**_content_headers(document.language), "ETag": f'"{document.etag}"'}
    if request.if_none_match.contains(document.etag):
        return Response(status=304, headers=headers)
    return Response(document.body, mimetype="application/json", headers=headers)


@bp.route("")
class Courses(MethodView):
    @bp.arguments(CourseListArgsSchema, location="query")
    @bp.response(200, page_schema(CourseSummarySchema, "CoursePage"))
    def get(self, args):
        """Published courses, filtered by language, tag or text (`q`)."""
        return catalogue.list_courses(
            preferred=preferred_languages(args),
            language=args.get("language"),
            tag=args.get("tag"),
            text=args.get("q"),
            page=args["page"],
            per_page=args["per_page"],
        )


@bp.route("/<slug>")
class CourseOutline(MethodView):
    @bp.read_only
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.response(200, CourseOutlineSchema)
    @bp.alt_response(304, description="Not modified: the ETag sent still holds (anonymous)")
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, args, slug):
        """The outline: modules, lessons, quizzes, minutes, prerequisites and what is locked;
        signed in, my state per lesson."""
        preferred = preferred_languages(args)
        user = get_current_user()
        if user is None:
            _, document = catalogue.published_outline(slug=slug, preferred=preferred)
            return _cached_answer(document)
        # The cached outline was dumped by the schema; only states and locks are filled in.
        body, language = progress.course_outline(user=user, slug=slug, preferred=preferred)
        return Response(
            body,
            mimetype="application/json",
            headers={
                "Content-Language": language,
                "Cache-Control": "private, no-cache",
                "Vary": "Accept-Language, Authorization",
            },
        )


@bp.route("/<slug>/lessons/<lesson>")
class LessonContent(MethodView):
    @bp.read_only
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.response(200, LessonContentSchema)
    @bp.alt_response(304, description="Not modified: the ETag sent still holds")
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, args, slug, lesson):
        """A lesson as sanitised HTML in the negotiated language (`Content-Language` says which)."""
        document = catalogue.published_lesson(
            slug=slug, lesson=lesson, preferred=preferred_languages(args)
        )
        return _cached_answer(document)


@bp.route("/<slug>/quizzes/<quiz>")
class QuizQuestions(MethodView):
    @bp.arguments(LanguageArgsSchema, location="query")
    @bp.response(200, QuizSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, args, slug, quiz):
        """A quiz's questions and options, without the answers."""
        questions = catalogue.quiz_for_learners(
            slug=slug, quiz=quiz, preferred=preferred_languages(args)
        )
        return questions, 200, {"Content-Language": questions["language"]}


@bp.route("/<slug>/versions/<version>/assets/<name>")
class CourseAsset(MethodView):
    @bp.response(200, description="The image", content_type="image/*")
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, slug, version, name):
        """An image of a course version; its URL names the version, so it is cached forever."""
        asset = catalogue.course_asset(slug=slug, version=version, name=name)
        response = Response(asset.data, mimetype=asset.media_type)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        response.set_etag(asset.sha256)
        return response.make_conditional(request)


@authoring_bp.route("")
@accepts_uploads
class AuthoredCourses(MethodView):
    @authoring_bp.login_required("author", "admin")
    @authoring_bp.response(200, AuthoredCourseSchema(many=True))
    def get(self):
        """The courses I author (admins: all courses)."""
        return services.list_authored_courses(user=current_user)

    @authoring_bp.login_required("author", "admin")
    @authoring_bp.arguments(UploadSchema, location="files")
    @authoring_bp.response(201, VersionSchema)
    @authoring_bp.alt_response(400, response="BAD_REQUEST")
    @authoring_bp.alt_response(409, response="CONFLICT")
    @authoring_bp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
    @authoring_bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, files):
        """Upload a package (a zip, field `package`): a new draft, or every problem as
        `file:line: message` in `errors.package`."""
        return services.upload_package(author=current_user, data=files["package"].read())


@authoring_bp.route("/<slug>/versions")
class Versions(MethodView):
    @authoring_bp.login_required("author", "admin")
    @authoring_bp.response(200, VersionSchema(many=True))
    @authoring_bp.alt_response(404, response="NOT_FOUND")
    def get(self, slug):
        """Every version of a course I author, newest first, with its status."""
        return services.list_versions(user=current_user, slug=slug)


@authoring_bp.route("/<slug>/versions/<version>")
class VersionPreview(MethodView):
    @authoring_bp.login_required("author", "admin")
    @authoring_bp.arguments(LanguageArgsSchema, location="query")
    @authoring_bp.response(200, CourseOutlineSchema)
    @authoring_bp.alt_response(404, response="NOT_FOUND")
    def get(self, args, slug, version):
        """Preview any version, drafts included, as learners would see its outline."""
        outline = services.preview_outline(
            user=current_user, slug=slug, version=version, preferred=preferred_languages(args)
        )
        return outline, 200, {"Content-Language": outline["language"]}


@authoring_bp.route("/<slug>/versions/<version>/lessons/<lesson>")
class LessonPreview(MethodView):
    @authoring_bp.login_required("author", "admin")
    @authoring_bp.arguments(LanguageArgsSchema, location="query")
    @authoring_bp.response(200, LessonContentSchema)
    @authoring_bp.alt_response(404, response="NOT_FOUND")
    def get(self, args, slug, version, lesson):
        """Preview a lesson of any version as learners would read it."""
        content = services.preview_lesson(
            user=current_user,
            slug=slug,
            version=version,
            lesson=lesson,
            preferred=preferred_languages(args),
        )
        return content, 200, {"Content-Language": content["language"]}


@authoring_bp.route("/<slug>/versions/<version>/publish")
class Publish(MethodView):
    @authoring_bp.login_required("author", "admin")
    @authoring_bp.response(200, VersionSchema)
    @authoring_bp.alt_response(404, response="NOT_FOUND")
    @authoring_bp.alt_response(409, response="CONFLICT")
    def post(self, slug, version):
        """Publish a draft: learners see it now; the version before is retired and kept."""
        return services.publish_version(user=current_user, slug=slug, version=version)


@authoring_bp.route("/<slug>/authors/<int:user_id>")
class CourseAuthors(MethodView):
    @authoring_bp.login_required("author", "admin")
    @authoring_bp.response(200, AuthoredCourseSchema)
    @authoring_bp.alt_response(404, response="NOT_FOUND")
    @authoring_bp.alt_response(409, response="CONFLICT")
    def put(self, slug, user_id):
        """Add a co-author (who must hold the author role)."""
        return services.add_author(user=current_user, slug=slug, author_id=user_id)

    @authoring_bp.login_required("author", "admin")
    @authoring_bp.response(200, AuthoredCourseSchema)
    @authoring_bp.alt_response(404, response="NOT_FOUND")
    @authoring_bp.alt_response(409, response="CONFLICT")
    def delete(self, slug, user_id):
        """Remove a co-author; a course keeps at least one."""
        return services.remove_author(user=current_user, slug=slug, author_id=user_id)
