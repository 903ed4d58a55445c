"""Reading published courses: the catalogue, outlines, lessons, quizzes and assets.

Language fallback: the first language the request prefers (`?lang=`, then
`Accept-Language` in order of quality, then the signed-in learner's locale) that the course
ships; otherwise the course's default language, the first it declares.
"""

import functools
import hashlib
import json
import re
import secrets
import threading
from dataclasses import dataclass

import sqlalchemy as sa
from cachetools import LRUCache
from flask import current_app
from sqlalchemy.orm import undefer

from learning.courses.cache import content_cache
from learning.courses.models import PUBLISHED, Asset, Course, CourseVersion, Lesson, Module, Quiz
from learning.courses.schemas import CourseOutlineSchema, LessonContentSchema
from learning.errors import NotFound
from learning.extensions import db

TEMPLATES_EXTENSION = "carbonlit.outline_templates"
_templates_lock = threading.Lock()

# Part of every cache key: a release that changes what is cached bumps it, so that a shared
# cache never hands new code an entry in the old shape.
CACHE_FORMAT = 1


_PUBLISHED_REF = (
    sa.select(
        CourseVersion.id,
        CourseVersion.course_id,
        CourseVersion.version,
        CourseVersion.languages,
        CourseVersion.created_at,
        CourseVersion.title,
    )
    .join(Course, Course.id == CourseVersion.course_id)
    .where(Course.slug == sa.bindparam("slug"), CourseVersion.status == PUBLISHED)
)


@dataclass(frozen=True)
class CachedDocument:
    """A published document as it goes on the wire: JSON bytes, their ETag, their language."""

    body: bytes
    etag: str
    language: str


def choose_language(available: list[str], preferred: list[str]) -> str:
    for language in preferred:
        if language in available:
            return language
    return available[0]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_courses(
    *,
    preferred: list[str],
    language: str | None = None,
    tag: str | None = None,
    text: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> dict:
    """Published courses, filtered by language, tag and words of free text, a page at a time."""
    query = (
        sa.select(CourseVersion, Course.slug)
        .join(Course, Course.id == CourseVersion.course_id)
        .where(CourseVersion.status == PUBLISHED)
    )
    if language:
        query = query.where(CourseVersion.languages_key.contains(f",{language},"))
    if tag:
        query = query.where(CourseVersion.tags_key.contains(f",{tag},"))
    for word in (text or "").lower().split():
        query = query.where(CourseVersion.search_text.like(f"%{_escape_like(word)}%", escape="\\"))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        query.order_by(Course.slug).limit(per_page).offset((page - 1) * per_page)
    ).all()
    items = []
    for version, slug in rows:
        chosen = choose_language(version.languages, preferred)
        items.append(
            {
                "slug": slug,
                "version": version.version,
                "language": chosen,
                "title": version.title[chosen],
                "summary": version.summary[chosen],
                "languages": version.languages,
                "tags": version.tags,
                "audience": version.audience,
                "estimated_minutes": version.estimated_minutes,
                "licence": version.licence,
                "certifiable": version.certifiable,
            }
        )
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def published_ref(*, slug: str) -> sa.Row:
    """Which version of a course is published (id, course_id, version, languages, created_at,
    title by language).

    Read once per publication generation (see learning/courses/cache.py), so that a cached
    outline or lesson costs no query at all and a newly published version is served at once.
    """
    cache = content_cache()
    ref = cache.published(slug)
    if ref is not None:
        return ref
    generation = cache.generation()
    ref = db.session.execute(_PUBLISHED_REF, {"slug": slug}).one_or_none()
    if ref is None:
        raise NotFound(f"There is no published course {slug}.")
    cache.remember_published(slug, ref, generation)
    return ref


def _cache_key(kind: str, ref: sa.Row, *parts: str) -> str:
    """Keys name the version by id and creation time, so that a database rebuilt from scratch
    (ids starting again at 1) never meets another database's entries in a shared cache."""
    stamp = int(ref.created_at.timestamp() * 1_000_000)
    return ":".join([kind, str(CACHE_FORMAT), str(ref.id), str(stamp), *parts])


def _cached(key: str, language: str, build) -> CachedDocument:
    """The document under key, built (body, etag) and stored on a miss."""
    cache = content_cache()
    packed = cache.get(key)
    if packed is None:
        body, etag = build()
        packed = etag.encode() + b"\n" + body
        cache.set(key, packed)
    etag, _, body = packed.partition(b"\n")
    return CachedDocument(body=body, etag=etag.decode(), language=language)


def _json_bytes(document: dict) -> bytes:
    return current_app.json.dumps(document).encode()


def published_outline(*, slug: str, preferred: list[str]) -> tuple[sa.Row, CachedDocument]:
    """The published version and its outline as learners get it, from the cache after the
    first request: one query on a hit, whatever the size of the course."""
    ref = published_ref(slug=slug)
    language = choose_language(ref.languages, preferred)

    def build() -> tuple[bytes, str]:
        version = db.session.get(CourseVersion, ref.id)
        outline = course_outline(slug=slug, preferred=[language], version=version)
        body = _json_bytes(CourseOutlineSchema().dump(outline))
        return body, hashlib.sha256(body).hexdigest()[:32]

    return ref, _cached(_cache_key("outline", ref, language), language, build)


@dataclass(frozen=True)
class OutlineTemplate:
    """A cached outline cut where a learner's state goes: each module's `locked` and each
    lesson's `state`. Filling it joins bytes, so that a signed-in outline neither parses nor
    serialises the outline per request.

    `slots` name, in the order they appear between the `pieces`, a (module, lesson) position:
    lesson None is the module's `locked`.
    """

    pieces: tuple[bytes, ...]
    slots: tuple[tuple[int, int | None], ...]
    language: str

    def fill(self, locked: list[bool], states: list[list[str]]) -> bytes:
        """The outline with locked[module] and states[module][lesson] in their places."""
        parts = [self.pieces[0]]
        for (module, lesson), piece in zip(self.slots, self.pieces[1:], strict=True):
            value = locked[module] if lesson is None else states[module][lesson]
            parts += (_json_value(value), piece)
        return b"".join(parts)


@functools.cache
def _json_value(value: bool | str) -> bytes:
    """A slot's value as JSON (a handful of booleans and state names, encoded once each)."""
    return json.dumps(value).encode()


def published_outline_template(
    *, slug: str, preferred: list[str]
) -> tuple[sa.Row, OutlineTemplate]:
    """The published version and its outline cut for a learner's state, built from the cached
    outline once per process, version and language (a published version never changes)."""
    ref, document = published_outline(slug=slug, preferred=preferred)
    templates = current_app.extensions.setdefault(TEMPLATES_EXTENSION, LRUCache(maxsize=256))
    key = (document.etag, document.language)
    with _templates_lock:
        template = templates.get(key)
    if template is None:
        template = _outline_template(document)
        with _templates_lock:
            templates[key] = template
    return ref, template


def _outline_template(document: CachedDocument) -> OutlineTemplate:
    # A marker no course text can hold: it is random, and begins with a NUL that JSON escapes.
    marker = f"\x00{secrets.token_hex(8)}:"
    outline = current_app.json.loads(document.body)
    for module_index, module in enumerate(outline["modules"]):
        module["locked"] = f"{marker}{module_index}"
        for lesson_index, lesson in enumerate(module["lessons"]):
            lesson["state"] = f"{marker}{module_index}.{lesson_index}"
    quoted = re.escape(json.dumps(marker)[:-1].encode())
    cut = re.split(quoted + rb'([0-9]+)(?:\.([0-9]+))?"', _json_bytes(outline))
    # re.split gives piece, module, lesson, piece, module, lesson, ..., piece.
    return OutlineTemplate(
        pieces=tuple(cut[0::3]),
        slots=tuple(
            (int(module), None if lesson is None else int(lesson))
            for module, lesson in zip(cut[1::3], cut[2::3], strict=True)
        ),
        language=document.language,
    )


def published_structure(*, ref: sa.Row) -> list[dict]:
    """What a learner's progress is matched against, per module in order: its slug,
    prerequisites and sequential flag, its lessons' and quiz's (slug, content hash).

    Cached like the outline, so that overlaying a learner's state needs no course table.
    """

    def build() -> tuple[bytes, str]:
        modules = db.session.execute(
            sa.select(Module.id, Module.slug, Module.prerequisites, Module.sequential)
            .where(Module.version_id == ref.id)
            .order_by(Module.position)
        ).all()
        lessons: dict[int, list[list[str]]] = {}
        for module_id, slug, content_hash in db.session.execute(
            sa.select(Lesson.module_id, Lesson.slug, Lesson.content_hash)
            .where(Lesson.version_id == ref.id)
            .order_by(Lesson.position)
        ):
            lessons.setdefault(module_id, []).append([slug, content_hash])
        quizzes = {
            module_id: [slug, content_hash]
            for module_id, slug, content_hash in db.session.execute(
                sa.select(Quiz.module_id, Quiz.slug, Quiz.content_hash).where(
                    Quiz.version_id == ref.id
                )
            )
        }
        structure = [
            {
                "slug": module.slug,
                "prerequisites": module.prerequisites,
                "sequential": module.sequential,
                "lessons": lessons.get(module.id, []),
                "quiz": quizzes.get(module.id),
            }
            for module in modules
        ]
        return _json_bytes(structure), ""

    document = _cached(_cache_key("structure", ref), "", build)
    return current_app.json.loads(document.body)


def published_lesson(*, slug: str, lesson: str, preferred: list[str]) -> CachedDocument:
    """A published lesson as learners get it, from the cache after the first request."""
    ref = published_ref(slug=slug)
    language = choose_language(ref.languages, preferred)

    def build() -> tuple[bytes, str]:
        content = lesson_content(slug=slug, lesson=lesson, preferred=[language], version=ref)
        return _json_bytes(LessonContentSchema().dump(content)), content["etag"]

    return _cached(_cache_key("lesson", ref, language, lesson), language, build)


def published_version(*, slug: str) -> CourseVersion:
    version = db.session.scalar(
        sa.select(CourseVersion)
        .join(Course, Course.id == CourseVersion.course_id)
        .where(Course.slug == slug, CourseVersion.status == PUBLISHED)
    )
    if version is None:
        raise NotFound(f"There is no published course {slug}.")
    return version


def course_outline(
    *, slug: str, preferred: list[str], version: CourseVersion | None = None
) -> dict:
    """The whole outline in a fixed number of queries, whatever the size of the course.

    Learners read the published version; authors may pass any version to preview it.
    """
    version = version or published_version(slug=slug)
    language = choose_language(version.languages, preferred)
    modules = db.session.scalars(
        sa.select(Module).where(Module.version_id == version.id).order_by(Module.position)
    ).all()
    lessons = db.session.scalars(
        sa.select(Lesson).where(Lesson.version_id == version.id).order_by(Lesson.position)
    ).all()
    quizzes = db.session.scalars(sa.select(Quiz).where(Quiz.version_id == version.id)).all()
    lessons_by_module: dict[int, list[Lesson]] = {}
    for lesson in lessons:
        lessons_by_module.setdefault(lesson.module_id, []).append(lesson)
    quiz_by_module = {quiz.module_id: quiz for quiz in quizzes}
    return {
        "slug": slug,
        "version": version.version,
        "status": version.status,
        "language": language,
        "languages": version.languages,
        "title": version.title[language],
        "summary": version.summary[language],
        "tags": version.tags,
        "audience": version.audience,
        "estimated_minutes": version.estimated_minutes,
        "licence": version.licence,
        "authors": version.authors,
        "certifiable": version.certifiable,
        "modules": [
            _module_outline(
                module,
                lessons_by_module.get(module.id, []),
                quiz_by_module.get(module.id),
                language,
            )
            for module in modules
        ],
    }


def _module_outline(module: Module, lessons: list[Lesson], quiz: Quiz | None, language: str):
    return {
        "slug": module.slug,
        "title": module.title[language],
        "summary": module.summary[language],
        "minutes": sum(lesson.minutes for lesson in lessons) + (quiz.minutes if quiz else 0),
        "prerequisites": module.prerequisites,
        "sequential": module.sequential,
        # Without a learner's progress every prerequisite is still to do.
        "locked": bool(module.prerequisites),
        "sources": module.sources,
        "lessons": [
            {
                "slug": lesson.slug,
                "title": lesson.title[language],
                "kind": lesson.kind,
                "minutes": lesson.minutes,
            }
            for lesson in lessons
        ],
        "quiz": None
        if quiz is None
        else {
            "slug": quiz.slug,
            "title": quiz.title[language],
            "pass_mark": quiz.pass_mark,
            "minutes": quiz.minutes,
            "questions": len(quiz.questions),
        },
    }


def lesson_content(
    *, slug: str, lesson: str, preferred: list[str], version: CourseVersion | sa.Row | None = None
) -> dict:
    """A lesson's sanitised HTML in the negotiated language, with its neighbours and ETag.

    `version` is any version (authors preview drafts) or a published_ref row.
    """
    version = version or published_version(slug=slug)
    found = db.session.execute(
        sa.select(Lesson, Module.slug)
        .join(Module, Module.id == Lesson.module_id)
        .where(Lesson.version_id == version.id, Lesson.slug == lesson)
        .options(undefer(Lesson.html))
    ).one_or_none()
    if found is None:
        raise NotFound(f"{slug} has no lesson {lesson}.")
    row, module_slug = found
    order = db.session.scalars(
        sa.select(Lesson.slug)
        .join(Module, Module.id == Lesson.module_id)
        .where(Lesson.version_id == version.id)
        .order_by(Module.position, Lesson.position)
    ).all()
    index = order.index(row.slug)
    language = choose_language(version.languages, preferred)
    tag = hashlib.sha256(f"{version.id}:{row.content_hash}:{language}".encode()).hexdigest()
    return {
        "course": slug,
        "version": version.version,
        "module": module_slug,
        "slug": row.slug,
        "language": language,
        "title": row.title[language],
        "kind": row.kind,
        "minutes": row.minutes,
        "video": row.video_url,
        "html": row.html[language],
        "previous": order[index - 1] if index > 0 else None,
        "next": order[index + 1] if index + 1 < len(order) else None,
        "etag": tag[:32],
    }


def quiz_for_learners(*, slug: str, quiz: str, preferred: list[str]) -> dict:
    """A quiz's questions and options, and nothing of the answer key."""
    version = published_version(slug=slug)
    found = db.session.execute(
        sa.select(Quiz, Module.slug)
        .join(Module, Module.id == Quiz.module_id)
        .where(Quiz.version_id == version.id, Quiz.slug == quiz)
    ).one_or_none()
    if found is None:
        raise NotFound(f"{slug} has no quiz {quiz}.")
    row, module_slug = found
    language = choose_language(version.languages, preferred)
    return {
        "course": slug,
        "version": version.version,
        "module": module_slug,
        "slug": row.slug,
        "language": language,
        "title": row.title[language],
        "pass_mark": row.pass_mark,
        "minutes": row.minutes,
        "questions": [
            {
                "id": question["id"],
                "type": question["type"],
                "text": question["text"][language],
                "options": [
                    {"id": option["id"], "text": option["text"][language]}
                    for option in question["options"]
                ],
            }
            for question in row.questions
        ],
    }


def course_asset(*, slug: str, version: str, name: str) -> Asset:
    """An image of any version of a course: assets are public, like the lessons using them."""
    asset = db.session.scalar(
        sa.select(Asset)
        .join(CourseVersion, CourseVersion.id == Asset.version_id)
        .join(Course, Course.id == CourseVersion.course_id)
        .where(Course.slug == slug, CourseVersion.version == version, Asset.name == name)
        .options(undefer(Asset.data))
    )
    if asset is None:
        raise NotFound(f"{slug} {version} has no asset {name}.")
    return asset
