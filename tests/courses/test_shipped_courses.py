"""The courses shipped in courses/: valid, complete in every language, cited, and long enough."""

from pathlib import Path

import pytest

from learning.courses.package import load_package, read_folder

COURSES = Path(__file__).resolve().parents[2] / "courses"
SHIPPED = sorted(path for path in COURSES.iterdir() if (path / "course.yaml").is_file())


def load(folder: Path):
    package, problems = load_package(read_folder(folder, max_files=5000, max_bytes=50_000_000))
    assert problems == [], "\n".join(str(problem) for problem in problems)
    return package


def test_the_three_courses_are_shipped():
    assert [path.name for path in SHIPPED] == [
        "carbon-literacy-brussels",
        "climate-at-school",
        "facilitating-a-learning-circle",
    ]


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda path: path.name)
def test_each_course_validates_in_nl_fr_and_en(folder):
    package = load(folder)

    assert sorted(package.languages) == ["en", "fr", "nl"]
    for module in package.modules:
        for lesson in module.lessons:
            assert set(lesson.markdown) == {"nl", "fr", "en"}
            assert all(text.strip() for text in lesson.markdown.values())


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda path: path.name)
def test_each_course_is_cc_by_sa(folder):
    assert load(folder).licence == "CC-BY-SA-4.0"


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda path: path.name)
def test_each_module_cites_at_least_two_sources_with_links(folder):
    for module in load(folder).modules:
        linked = [s for s in module.sources if s["url"].startswith(("https://", "http://"))]
        assert len(linked) >= 2, module.slug


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda path: path.name)
def test_each_module_has_a_quiz_and_mixes_lesson_kinds(folder):
    for module in load(folder).modules:
        kinds = {lesson.kind for lesson in module.lessons}
        assert module.quiz is not None, module.slug
        assert {"reading", "activity", "discussion"} <= kinds, module.slug


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda path: path.name)
def test_estimated_minutes_match_the_lessons_and_quizzes(folder):
    package = load(folder)
    total = sum(
        sum(lesson.minutes for lesson in module.lessons)
        + (module.quiz.minutes if module.quiz else 0)
        for module in package.modules
    )

    assert abs(package.estimated_minutes - total) <= 10


def test_the_flagship_is_a_day_of_learning_in_at_least_seven_modules():
    package = load(COURSES / "carbon-literacy-brussels")
    minutes = sum(
        sum(lesson.minutes for lesson in module.lessons) + module.quiz.minutes
        for module in package.modules
    )

    assert len(package.modules) >= 7
    assert minutes >= 7 * 60
    assert package.certifiable is True
    assert len(package.reflection_prompts) >= 2


def test_every_quiz_option_is_explained():
    for folder in SHIPPED:
        for module in load(folder).modules:
            for question in module.quiz.questions:
                for option in question["options"]:
                    assert option["explanation"], (folder.name, question["id"], option["id"])
                if question["type"] in ("true_false", "numeric"):
                    assert question["explanation"], (folder.name, question["id"])


def test_the_server_command_imports_every_shipped_course(app):
    runner = app.test_cli_runner()

    result = runner.invoke(args=["courses", "import", str(COURSES)])

    assert result.exit_code == 0, result.output
    for folder in SHIPPED:
        assert f"{folder.name} 1.0.0: published" in result.output


def test_climate_at_school_awards_badges_of_its_own(app, client):
    app.test_cli_runner().invoke(args=["courses", "import", str(COURSES)])

    listed = client.get("/api/v1/badges?course=climate-at-school&lang=fr").json["items"]

    assert [(badge["slug"], badge["name"]) for badge in listed] == [
        ("climate-at-school-explorer", "Explorateur du climat"),
        ("climate-at-school-class-pledge", "Engagement de classe"),
    ]
