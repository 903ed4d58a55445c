"""What goes in and out of the catalogue and authoring APIs."""

import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import validate

from learning.api import PageArgsSchema
from learning.brussels import LANGUAGES

SLUG = validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", error="Not a slug.")


class LanguageArgsSchema(ma.Schema):
    lang = ma.fields.String(
        validate=validate.OneOf(LANGUAGES),
        metadata={"description": "Wanted language; overrides Accept-Language"},
    )


class PagedLanguageArgsSchema(PageArgsSchema, LanguageArgsSchema):
    """?page=, ?per_page= and ?lang= on a list of things shown in the learner's language."""


class CourseListArgsSchema(PagedLanguageArgsSchema):
    language = ma.fields.String(
        validate=validate.OneOf(LANGUAGES), metadata={"description": "Courses offered in"}
    )
    tag = ma.fields.String(validate=SLUG)
    q = ma.fields.String(
        validate=validate.Length(max=200), metadata={"description": "Words in title or summary"}
    )


class CourseSummarySchema(ma.Schema):
    slug = ma.fields.String(required=True)
    version = ma.fields.String(required=True)
    language = ma.fields.String(required=True, metadata={"description": "Language served"})
    title = ma.fields.String(required=True)
    summary = ma.fields.String(required=True)
    languages = ma.fields.List(ma.fields.String(), required=True)
    tags = ma.fields.List(ma.fields.String(), required=True)
    audience = ma.fields.List(ma.fields.String(), required=True)
    estimated_minutes = ma.fields.Integer(required=True)
    licence = ma.fields.String(required=True)
    certifiable = ma.fields.Boolean(required=True)


class SourceSchema(ma.Schema):
    title = ma.fields.String(required=True)
    publisher = ma.fields.String()
    year = ma.fields.Integer()
    url = ma.fields.String(required=True)


class AuthorCreditSchema(ma.Schema):
    name = ma.fields.String(required=True)
    url = ma.fields.String()


class LessonOutlineSchema(ma.Schema):
    slug = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    kind = ma.fields.String(
        required=True, validate=validate.OneOf(["reading", "video", "activity", "discussion"])
    )
    minutes = ma.fields.Integer(required=True)
    state = ma.fields.String(
        validate=validate.OneOf(["not_started", "started", "completed", "locked"]),
        metadata={"description": "Mine, when signed in"},
    )


class QuizOutlineSchema(ma.Schema):
    slug = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    pass_mark = ma.fields.Integer(required=True, metadata={"description": "Percent to pass"})
    minutes = ma.fields.Integer(required=True)
    questions = ma.fields.Integer(required=True, metadata={"description": "How many"})


class ModuleOutlineSchema(ma.Schema):
    slug = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    summary = ma.fields.String(required=True)
    minutes = ma.fields.Integer(required=True, metadata={"description": "Lessons and quiz"})
    prerequisites = ma.fields.List(ma.fields.String(), required=True)
    sequential = ma.fields.Boolean(required=True)
    locked = ma.fields.Boolean(required=True)
    sources = ma.fields.List(ma.fields.Nested(SourceSchema), required=True)
    lessons = ma.fields.List(ma.fields.Nested(LessonOutlineSchema), required=True)
    quiz = ma.fields.Nested(QuizOutlineSchema, required=True, allow_none=True)


class CourseOutlineSchema(ma.Schema):
    slug = ma.fields.String(required=True)
    version = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    language = ma.fields.String(required=True)
    languages = ma.fields.List(ma.fields.String(), required=True)
    title = ma.fields.String(required=True)
    summary = ma.fields.String(required=True)
    tags = ma.fields.List(ma.fields.String(), required=True)
    audience = ma.fields.List(ma.fields.String(), required=True)
    estimated_minutes = ma.fields.Integer(required=True)
    licence = ma.fields.String(required=True)
    authors = ma.fields.List(ma.fields.Nested(AuthorCreditSchema), required=True)
    certifiable = ma.fields.Boolean(required=True)
    modules = ma.fields.List(ma.fields.Nested(ModuleOutlineSchema), required=True)


class LessonContentSchema(ma.Schema):
    course = ma.fields.String(required=True)
    version = ma.fields.String(required=True)
    module = ma.fields.String(required=True)
    slug = ma.fields.String(required=True)
    language = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    minutes = ma.fields.Integer(required=True)
    video = ma.fields.String(required=True, allow_none=True)
    html = ma.fields.String(required=True, metadata={"description": "Sanitised HTML"})
    previous = ma.fields.String(required=True, allow_none=True)
    next = ma.fields.String(required=True, allow_none=True)


class OptionSchema(ma.Schema):
    id = ma.fields.String(required=True)
    text = ma.fields.String(required=True)


class QuestionSchema(ma.Schema):
    id = ma.fields.String(required=True)
    type = ma.fields.String(
        required=True, validate=validate.OneOf(["single", "multiple", "true_false", "numeric"])
    )
    text = ma.fields.String(required=True)
    options = ma.fields.List(ma.fields.Nested(OptionSchema), required=True)


class QuizSchema(ma.Schema):
    course = ma.fields.String(required=True)
    version = ma.fields.String(required=True)
    module = ma.fields.String(required=True)
    slug = ma.fields.String(required=True)
    language = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    pass_mark = ma.fields.Integer(required=True)
    minutes = ma.fields.Integer(required=True)
    questions = ma.fields.List(ma.fields.Nested(QuestionSchema), required=True)


class UploadSchema(ma.Schema):
    package = Upload(required=True, metadata={"description": "The package, zipped"})


class VersionSchema(ma.Schema):
    course = ma.fields.Function(lambda version: version.course.slug, required=True)
    version = ma.fields.String(required=True)
    status = ma.fields.String(
        required=True, validate=validate.OneOf(["draft", "published", "retired"])
    )
    title = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)
    languages = ma.fields.List(ma.fields.String(), required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    published_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    retired_at = ma.fields.AwareDateTime(required=True, allow_none=True)


class AuthoredCourseSchema(ma.Schema):
    slug = ma.fields.String(required=True)
    authors = ma.fields.Function(
        lambda course: [author.user_id for author in course.authors],
        required=True,
        metadata={"description": "User ids of the course's authors"},
    )
    versions = ma.fields.Function(
        lambda course: [v.version for v in sorted(course.versions, key=lambda v: v.sort_key)],
        required=True,
    )
