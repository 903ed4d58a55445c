"""Factories for test data: course packages written to disk, zipped, imported."""

import io
import zipfile
from pathlib import Path

import yaml

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "small-course"


def zip_folder(folder: Path, *, root: str = "small-course") -> bytes:
    """Zip a package folder the way an author's zip tool would: under one top-level folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{root}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


def upload(client, headers, data: bytes):
    return client.post(
        "/api/v1/authoring/courses",
        data={"package": (io.BytesIO(data), "course.zip")},
        headers=headers,
        content_type="multipart/form-data",
    )


def import_folder(app, folder: Path, *, publish=True):
    from learning.courses import services
    from learning.courses.package import read_folder

    with app.app_context():
        files = read_folder(folder, max_files=2000, max_bytes=50_000_000)
        return services.import_package(files=files, publish=publish)


def language_map(text: str, languages=("en", "nl", "fr")) -> dict:
    return {language: f"{text} ({language})" for language in languages}


def quiz_for(module: int, languages) -> dict:
    """A quiz with one question of each type; the right answers are a, [a, b], true and 42."""

    def option(option_id, correct=False):
        return {
            "id": option_id,
            "text": language_map(f"option {option_id}", languages),
            "correct": correct,
            "explanation": language_map(f"why {option_id}", languages),
        }

    return {
        "title": language_map(f"Quiz {module}", languages),
        "pass_mark": 75,
        "minutes": 5,
        "questions": [
            {
                "id": "single",
                "type": "single",
                "text": language_map("Pick one", languages),
                "options": [option("a", True), option("b"), option("c")],
            },
            {
                "id": "multiple",
                "type": "multiple",
                "text": language_map("Pick some", languages),
                "options": [option("a", True), option("b", True), option("c")],
            },
            {
                "id": "truth",
                "type": "true_false",
                "text": language_map("True?", languages),
                "answer": True,
                "explanation": language_map("It is true", languages),
            },
            {
                "id": "number",
                "type": "numeric",
                "text": language_map("How many?", languages),
                "answer": 42,
                "tolerance": 0.5,
                "explanation": language_map("Forty-two", languages),
            },
        ],
    }


RIGHT_ANSWERS = [
    {"question": "single", "answer": "a"},
    {"question": "multiple", "answer": ["b", "a"]},
    {"question": "truth", "answer": True},
    {"question": "number", "answer": 42.3},
]


def write_package(
    folder: Path,
    *,
    slug="generated",
    version="1.0.0",
    modules=2,
    lessons=3,
    languages=("en", "nl", "fr"),
    tags=("generated",),
    quizzes=(),
    prerequisites=None,
    sequential=(),
    lesson_text=None,
):
    """Write a valid package of any shape: `modules` x `lessons` reading lessons named
    lesson-<m>-<n> in modules module-<m>; quizzes, prerequisites and sequential modules by
    module index; lesson_text(m, n, language) changes a lesson's text."""
    module_slugs = [f"module-{m}" for m in range(modules)]
    course = {
        "slug": slug,
        "version": version,
        "languages": list(languages),
        "title": language_map("Generated course", languages),
        "summary": language_map("A course made by the tests", languages),
        "tags": list(tags),
        "audience": ["adults"],
        "estimated_minutes": modules * lessons * 5 + 5 * len(quizzes),
        "licence": "CC-BY-SA-4.0",
        "authors": [{"name": "the tests"}],
        "modules": module_slugs,
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "course.yaml").write_text(yaml.safe_dump(course), encoding="utf-8")
    for m, module_slug in enumerate(module_slugs):
        lesson_slugs = [f"lesson-{m}-{n}" for n in range(lessons)]
        module_folder = folder / module_slug
        module_folder.mkdir(exist_ok=True)
        module = {
            "title": language_map(f"Module {m}", languages),
            "summary": language_map(f"Module {m} summary", languages),
            "lessons": lesson_slugs,
        }
        if m in quizzes:
            module["quiz"] = f"quiz-{m}"
            (module_folder / f"quiz-{m}.quiz.yaml").write_text(
                yaml.safe_dump(quiz_for(m, languages)), encoding="utf-8"
            )
        if prerequisites and m in prerequisites:
            module["prerequisites"] = [module_slugs[p] for p in prerequisites[m]]
        if m in sequential:
            module["sequential"] = True
        (module_folder / "module.yaml").write_text(yaml.safe_dump(module), encoding="utf-8")
        for n, lesson_slug in enumerate(lesson_slugs):
            for language in languages:
                text = lesson_text(m, n, language) if lesson_text else None
                (module_folder / f"{lesson_slug}.{language}.md").write_text(
                    f"---\ntitle: {lesson_slug} {language}\nminutes: 5\nkind: reading\n---\n"
                    f"{text or f'Text of {lesson_slug} in {language}.'}\n",
                    encoding="utf-8",
                )
    return folder
