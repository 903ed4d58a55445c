"""The rules of authoring: validating, uploading, importing and publishing course versions."""

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from learning import events
from learning.accounts.models import User
from learning.courses import catalogue
from learning.courses.models import (
    DRAFT,
    PUBLISHED,
    RETIRED,
    Asset,
    Course,
    CourseAuthor,
    CourseVersion,
    Lesson,
    Module,
    Quiz,
)
from learning.courses.package import (
    Package,
    PackageRefused,
    Problem,
    load_package,
    read_folder,
    read_zip,
)
from learning.courses.rendering import render_markdown
from learning.db import utcnow
from learning.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from learning.extensions import db


class PackageRefusedError(DomainError):
    status = 400
    code = "package-refused"
    title = "Package refused"


class PackageInvalid(InvalidInput):
    code = "package-invalid"
    title = "Package invalid"


@dataclass(frozen=True)
class ImportOutcome:
    """What importing one package did, for the CLI's summary."""

    slug: str
    version: str
    action: str  # "imported", "published" or "skipped"


def asset_path(*, slug: str, version: str, name: str) -> str:
    """The URL path of an asset: it names the version, so it never changes meaning."""
    return f"/api/v1/courses/{slug}/versions/{version}/assets/{name}"


def _limits() -> dict:
    config = current_app.config
    return {
        "max_files": config["COURSE_MAX_FILES"],
        "max_bytes": config["COURSE_MAX_UNPACKED_BYTES"],
    }


def read_package_source(path: Path) -> dict[str, bytes]:
    """Read a package from a folder or a zip file on disk, refusing unsafe ones."""
    if path.is_dir():
        return read_folder(path, **_limits())
    return read_zip(path.read_bytes(), **_limits())


def check_package(files: dict[str, bytes]) -> tuple[Package | None, list[Problem]]:
    """Validate a package, including the rule that needs the database: versions only grow."""
    package, problems = load_package(files)
    if package is None:
        return None, problems
    problems = _version_problems(package)
    return (None if problems else package), problems


def _version_problems(package: Package) -> list[Problem]:
    course = db.session.scalar(sa.select(Course).where(Course.slug == package.slug))
    if course is None:
        return []
    newest = _newest_released(course)
    if newest is not None and _sort_key(package.version) <= newest.sort_key:
        return [
            Problem(
                "course.yaml",
                package.version_line,
                f"version {package.version} must be greater than {newest.version}, "
                f"which is already {newest.status}",
            )
        ]
    return []


def _sort_key(version: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in version.split("."))
    return (major, minor, patch)


def _newest_released(course: Course) -> CourseVersion | None:
    return db.session.scalar(
        sa.select(CourseVersion)
        .where(CourseVersion.course_id == course.id, CourseVersion.status != DRAFT)
        .order_by(
            CourseVersion.major.desc(), CourseVersion.minor.desc(), CourseVersion.patch.desc()
        )
        .limit(1)
    )


def _is_author(user: User, course: Course) -> bool:
    return user.has_role("admin") or any(a.user_id == user.id for a in course.authors)


def find_authored_course(*, user: User, slug: str) -> Course:
    """The course, if this user may author it; others learn nothing about drafts."""
    course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    if course is None:
        raise NotFound(f"There is no course {slug}.")
    if not _is_author(user, course):
        raise Forbidden(f"You are not an author of {slug}.")
    return course


def find_version(*, course: Course, version: str) -> CourseVersion:
    found = db.session.scalar(
        sa.select(CourseVersion).where(
            CourseVersion.course_id == course.id, CourseVersion.version == version
        )
    )
    if found is None:
        raise NotFound(f"{course.slug} has no version {version}.")
    return found


def upload_package(*, author: User, data: bytes) -> CourseVersion:
    """Turn an uploaded zip into a new draft version, or refuse it whole."""
    try:
        files = read_zip(data, **_limits())
    except PackageRefused as refused:
        raise PackageRefusedError(
            "The package was refused before reading it.",
            errors={"package": [str(problem) for problem in refused.problems]},
        ) from None
    package, problems = check_package(files)
    if package is None:
        raise PackageInvalid(
            f"The package has {len(problems)} problem(s).",
            errors={"package": [str(problem) for problem in problems]},
        )
    course = db.session.scalar(sa.select(Course).where(Course.slug == package.slug))
    if course is None:
        course = Course(slug=package.slug, authors=[CourseAuthor(user_id=author.id)])
        db.session.add(course)
    elif not _is_author(author, course):
        raise Forbidden(f"You are not an author of {package.slug}.")
    version = _store_version(course, package, uploaded_by=author, status=DRAFT)
    db.session.commit()
    return version


def import_package(*, files: dict[str, bytes], publish: bool = True) -> ImportOutcome:
    """Import a validated package from the command line, publishing it unless told not to.

    A version that is already in the database is skipped, so running it again is harmless.
    """
    package, problems = load_package(files)
    if package is None:
        raise PackageInvalid(
            f"The package has {len(problems)} problem(s).",
            errors={"package": [str(problem) for problem in problems]},
        )
    course = db.session.scalar(sa.select(Course).where(Course.slug == package.slug))
    if course is not None and any(v.version == package.version for v in course.versions):
        return ImportOutcome(package.slug, package.version, "skipped")
    problems = _version_problems(package)
    if problems:
        raise PackageInvalid(str(problems[0]), errors={"package": [str(p) for p in problems]})
    if course is None:
        course = Course(slug=package.slug)
        db.session.add(course)
    version = _store_version(course, package, uploaded_by=None, status=DRAFT)
    if publish:
        _publish(version)
    db.session.commit()
    return ImportOutcome(package.slug, package.version, "published" if publish else "imported")


def _store_version(
    course: Course, package: Package, *, uploaded_by: User | None, status: str
) -> CourseVersion:
    """Write a package as a version; an unpublished draft of the same version is replaced."""
    for existing in list(course.versions):
        if existing.version == package.version:
            if existing.status != DRAFT:
                raise Conflict(f"{package.slug} {package.version} is already {existing.status}.")
            course.versions.remove(existing)
            db.session.flush()
    major, minor, patch = _sort_key(package.version)
    version = CourseVersion(
        course=course,
        version=package.version,
        major=major,
        minor=minor,
        patch=patch,
        status=status,
        languages=list(package.languages),
        title=dict(package.title),
        summary=dict(package.summary),
        tags=list(package.tags),
        audience=list(package.audience),
        estimated_minutes=package.estimated_minutes,
        licence=package.licence,
        authors=[dict(author) for author in package.authors],
        certifiable=package.certifiable,
        reflection_prompts=[dict(prompt) for prompt in package.reflection_prompts],
        badges=[dataclasses.asdict(badge) for badge in package.badges],
        languages_key=f",{','.join(package.languages)},",
        tags_key=f",{','.join(package.tags)},",
        search_text=_search_text(package),
        uploaded_by_id=uploaded_by.id if uploaded_by else None,
    )

    def asset_url(name: str) -> str:
        return asset_path(slug=package.slug, version=package.version, name=name)

    for position, module in enumerate(package.modules):
        row = Module(
            version=version,
            slug=module.slug,
            position=position,
            title=dict(module.title),
            summary=dict(module.summary),
            prerequisites=list(module.prerequisites),
            sequential=module.sequential,
            sources=[dict(source) for source in module.sources],
        )
        for lesson_position, lesson in enumerate(module.lessons):
            row.lessons.append(
                Lesson(
                    version=version,
                    slug=lesson.slug,
                    position=lesson_position,
                    kind=lesson.kind,
                    minutes=lesson.minutes,
                    video_url=lesson.video,
                    content_hash=lesson.content_hash,
                    title=dict(lesson.title),
                    html={
                        language: render_markdown(markdown, asset_url=asset_url)
                        for language, markdown in lesson.markdown.items()
                    },
                )
            )
        if module.quiz is not None:
            questions = [dict(question) for question in module.quiz.questions]
            row.quiz = Quiz(
                version=version,
                slug=module.quiz.slug,
                title=dict(module.quiz.title),
                pass_mark=module.quiz.pass_mark,
                minutes=module.quiz.minutes,
                questions=questions,
                content_hash=_hash_json(
                    [module.slug, module.quiz.slug, module.quiz.pass_mark, questions]
                ),
            )
    for asset in package.assets.values():
        version.assets.append(
            Asset(
                name=asset.name,
                media_type=asset.media_type,
                sha256=hashlib.sha256(asset.data).hexdigest(),
                data=asset.data,
            )
        )
    db.session.add(version)
    return version


def _hash_json(value) -> str:
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _search_text(package: Package) -> str:
    parts = [package.slug, *package.tags, *package.title.values(), *package.summary.values()]
    for module in package.modules:
        parts.extend(module.title.values())
    return " ".join(parts).lower()


def _publish(version: CourseVersion) -> None:
    db.session.flush()
    current = db.session.scalar(
        sa.select(CourseVersion).where(
            CourseVersion.course_id == version.course_id,
            CourseVersion.status == PUBLISHED,
            CourseVersion.id != version.id,
        )
    )
    if current is not None:
        if current.sort_key >= version.sort_key:
            raise Conflict(f"{version.version} is not newer than the published {current.version}.")
        current.status = RETIRED
        current.retired_at = utcnow()
    version.status = PUBLISHED
    version.published_at = utcnow()
    events.course_published.send(
        "courses",
        course=version.course.slug,
        version=version.version,
        languages=list(version.languages),
        badges=list(version.badges),
        at=version.published_at,
    )


def publish_version(*, user: User, slug: str, version: str) -> CourseVersion:
    """Make a draft the version learners see; the previous one is retired, never deleted."""
    course = find_authored_course(user=user, slug=slug)
    draft = find_version(course=course, version=version)
    if draft.status != DRAFT:
        raise Conflict(f"{slug} {version} is {draft.status}; only a draft can be published.")
    _publish(draft)
    db.session.commit()
    return draft


def preview_outline(*, user: User, slug: str, version: str, preferred: list[str]) -> dict:
    """Any version's outline, drafts included, for its authors."""
    course = find_authored_course(user=user, slug=slug)
    found = find_version(course=course, version=version)
    return catalogue.course_outline(slug=slug, preferred=preferred, version=found)


def preview_lesson(*, user: User, slug: str, version: str, lesson: str, preferred: list[str]):
    """Any version's lesson, drafts included, for its authors."""
    course = find_authored_course(user=user, slug=slug)
    found = find_version(course=course, version=version)
    return catalogue.lesson_content(slug=slug, lesson=lesson, preferred=preferred, version=found)


def list_versions(*, user: User, slug: str) -> list[CourseVersion]:
    course = find_authored_course(user=user, slug=slug)
    return sorted(course.versions, key=lambda v: v.sort_key, reverse=True)


def list_authored_courses(*, user: User) -> list[Course]:
    """The courses this user authors; admins see them all."""
    query = sa.select(Course).order_by(Course.slug)
    if not user.has_role("admin"):
        query = query.join(CourseAuthor).where(CourseAuthor.user_id == user.id)
    return list(db.session.scalars(query))


def add_author(*, user: User, slug: str, author_id: int) -> Course:
    """Let another author work on a course; they need the author role already."""
    course = find_authored_course(user=user, slug=slug)
    author = db.session.get(User, author_id)
    if author is None:
        raise NotFound(f"There is no user {author_id}.")
    if not author.has_role("author"):
        raise Conflict(f"User {author_id} does not have the author role.")
    if not any(a.user_id == author_id for a in course.authors):
        course.authors.append(CourseAuthor(user_id=author_id))
    db.session.commit()
    return course


def remove_author(*, user: User, slug: str, author_id: int) -> Course:
    """Take an author off a course; a course keeps at least one author once it has one."""
    course = find_authored_course(user=user, slug=slug)
    remaining = [a for a in course.authors if a.user_id != author_id]
    if len(remaining) == len(course.authors):
        raise NotFound(f"User {author_id} is not an author of {slug}.")
    if not remaining:
        raise Conflict("A course keeps at least one author.")
    course.authors = remaining
    db.session.commit()
    return course


# Personal data -------------------------------------------------------------------------------


def export_personal_data(*, user_id: int) -> dict:
    """The courses a person may author, and the versions they uploaded."""
    authored = db.session.execute(
        sa.select(Course.slug, CourseAuthor.added_at)
        .join(CourseAuthor, CourseAuthor.course_id == Course.id)
        .where(CourseAuthor.user_id == user_id)
        .order_by(Course.slug)
    ).all()
    uploaded = db.session.execute(
        sa.select(Course.slug, CourseVersion.version, CourseVersion.created_at)
        .join(CourseVersion, CourseVersion.course_id == Course.id)
        .where(CourseVersion.uploaded_by_id == user_id)
        .order_by(CourseVersion.created_at, CourseVersion.id)
    ).all()
    return {
        "authoring": [{"course": slug, "added_at": at.isoformat()} for slug, at in authored],
        "uploads": [
            {"course": slug, "version": version, "uploaded_at": at.isoformat()}
            for slug, version, at in uploaded
        ],
    }


def erase_personal_data(*, user_id: int) -> None:
    """A person stops authoring, and no version names them as its uploader; the courses stay,
    being published work that learners depend on."""
    db.session.execute(sa.delete(CourseAuthor).where(CourseAuthor.user_id == user_id))
    db.session.execute(
        sa.update(CourseVersion)
        .where(CourseVersion.uploaded_by_id == user_id)
        .values(uploaded_by_id=None)
    )
