"""The course package reader and validator: the example loads, broken and hostile packages don't.

Each broken package is the documented example with one small change, so every test shows the
exact problem an author gets for one mistake.
"""

import io
import os
import stat
import zipfile

import pytest

from learning.courses.package import (
    PackageRefused,
    Problem,
    load_package,
    read_folder,
    read_zip,
)
from tests.factories import EXAMPLE

LIMITS = {"max_files": 2000, "max_bytes": 50_000_000}
SLUG_RULE = "lower-case letters, digits and single hyphens, at most 64 characters"


def example() -> dict[str, bytes]:
    return read_folder(EXAMPLE, **LIMITS)


def edit(files: dict[str, bytes], path: str, old: str, new: str) -> dict[str, bytes]:
    """A copy of files with the one occurrence of old in path replaced by new."""
    text = files[path].decode()
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    return {**files, path: text.replace(old, new).encode()}


def without(files: dict[str, bytes], *paths: str) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if path not in paths}


def line_of(files: dict[str, bytes], path: str, text: str) -> int:
    """The 1-based line of the first line of path that holds text."""
    lines = files[path].decode().split("\n")
    return next(number for number, line in enumerate(lines, 1) if text in line)


def problems(files: dict[str, bytes]) -> list[str]:
    package, found = load_package(files)
    assert package is None
    assert found
    return [str(problem) for problem in found]


def zipped(files: dict[str, bytes], *, root: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(root + path, data)
    return buffer.getvalue()


def zipped_with(entry: zipfile.ZipInfo | str, data: bytes = b"x") -> bytes:
    """The example zipped, plus one entry written exactly as given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in example().items():
            archive.writestr(path, content)
        archive.writestr(entry, data)
    return buffer.getvalue()


def refusal(data: bytes, **limits) -> list[str]:
    with pytest.raises(PackageRefused) as refused:
        read_zip(data, **{**LIMITS, **limits})
    assert str(refused.value) == "\n".join(str(p) for p in refused.value.problems)
    return [str(problem) for problem in refused.value.problems]


# The example


def test_the_example_package_has_no_problems():
    package, found = load_package(example())

    assert found == []
    assert package is not None


def test_the_example_package_loads_with_its_structure():
    package, _ = load_package(example())

    assert (package.slug, package.version, package.version_line) == ("small-course", "1.0.0", 2)
    assert package.languages == ["en", "nl", "fr"]
    assert package.default_language == "en"
    assert package.title["nl"] == "Klimaatverandering in twee stappen"
    assert (package.tags, package.audience) == (["climate", "example"], ["adults"])
    assert (package.licence, package.certifiable) == ("CC-BY-SA-4.0", False)
    assert package.authors == [{"name": "carbonlit contributors", "url": "https://example.org"}]
    assert [prompt["id"] for prompt in package.reflection_prompts] == ["what-surprised-you"]
    assert set(package.reflection_prompts[0]["text"]) == {"en", "nl", "fr"}
    why, first = package.modules
    assert (why.slug, first.slug) == ("why-it-matters", "first-steps")
    assert (why.prerequisites, first.prerequisites) == ([], ["why-it-matters"])
    assert (why.sequential, first.sequential) == (False, True)
    assert [(lesson.slug, lesson.kind) for lesson in why.lessons + first.lessons] == [
        ("greenhouse", "reading"),
        ("warming-stripes", "activity"),
        ("your-footprint", "reading"),
        ("talk-about-it", "discussion"),
    ]
    assert why.sources[0] == {
        "title": "Climate Change 2023: Synthesis Report",
        "publisher": "IPCC",
        "year": 2023,
        "url": "https://www.ipcc.ch/report/ar6/syr/",
    }
    assert first.quiz is None
    assert package.assets["warming-stripes.png"].media_type == "image/png"


def test_the_example_estimate_is_the_sum_of_its_lessons_and_quizzes():
    package, _ = load_package(example())

    minutes = sum(
        sum(lesson.minutes for lesson in module.lessons)
        + (module.quiz.minutes if module.quiz else 0)
        for module in package.modules
    )
    assert package.estimated_minutes == minutes == 35


def test_a_lesson_has_its_title_and_body_in_every_language():
    package, _ = load_package(example())
    greenhouse = package.modules[0].lessons[0]

    assert greenhouse.title == {
        "en": "The greenhouse effect",
        "nl": "Het broeikaseffect",
        "fr": "L'effet de serre",
    }
    assert greenhouse.markdown["en"].startswith("Sunlight warms the Earth's surface")
    assert "title:" not in greenhouse.markdown["fr"]
    assert greenhouse.video is None


def test_the_quiz_has_one_normalised_question_of_each_type():
    package, _ = load_package(example())
    quiz = package.modules[0].quiz

    assert (quiz.slug, quiz.pass_mark, quiz.minutes) == ("check", 60, 5)
    single, multiple, numeric, true_false = quiz.questions
    assert [q["type"] for q in quiz.questions] == ["single", "multiple", "numeric", "true_false"]
    assert [(o["id"], o["correct"]) for o in single["options"]] == [
        ("co2", True),
        ("methane", False),
        ("oxygen", False),
    ]
    assert single["options"][0]["explanation"]["fr"].startswith("Exact.")
    assert (single["answer"], single["explanation"]) == (None, None)
    assert sum(o["correct"] for o in multiple["options"]) == 2
    assert (numeric["answer"], numeric["tolerance"], numeric["options"]) == (1.1, 0.2, [])
    assert (true_false["answer"], true_false["tolerance"]) == (True, 0.0)
    assert set(true_false["explanation"]) == {"en", "nl", "fr"}


def test_a_lesson_hash_is_stable_and_changes_with_any_language():
    files = example()
    path = "why-it-matters/greenhouse.fr.md"

    before = load_package(files)[0].modules[0].lessons
    again = load_package(files)[0].modules[0].lessons
    after = (
        load_package(edit(files, path, "La couverture", "Cette couverture"))[0].modules[0].lessons
    )

    assert [lesson.content_hash for lesson in before] == [lesson.content_hash for lesson in again]
    assert after[0].content_hash != before[0].content_hash
    assert after[1].content_hash == before[1].content_hash


def test_a_changed_title_or_minutes_changes_the_lesson_hash():
    files = example()
    retitled = edit(files, "why-it-matters/greenhouse.nl.md", "Het broeikaseffect", "Broeikas")
    longer = files
    for language in ("en", "nl", "fr"):
        longer = edit(
            longer, f"why-it-matters/greenhouse.{language}.md", "minutes: 8", "minutes: 9"
        )

    original = load_package(files)[0].modules[0].lessons[0].content_hash

    assert load_package(retitled)[0].modules[0].lessons[0].content_hash != original
    assert load_package(longer)[0].modules[0].lessons[0].content_hash != original


def test_windows_line_ends_and_a_byte_order_mark_are_accepted():
    files = example()
    path = "why-it-matters/greenhouse.en.md"
    windows = {**files, path: b"\xef\xbb\xbf" + files[path].replace(b"\n", b"\r\n")}

    package, found = load_package(windows)

    assert found == []
    assert package.modules[0].lessons[0].content_hash == (
        load_package(files)[0].modules[0].lessons[0].content_hash
    )


def test_text_that_yaml_would_read_as_a_boolean_is_still_text():
    files = edit(example(), "why-it-matters/check.quiz.yaml", "{en: Oxygen,", "{en: No,")

    package, found = load_package(files)

    assert found == []
    assert package.modules[0].quiz.questions[0]["options"][2]["text"]["en"] == "No"


def test_problem_says_file_line_and_message():
    assert str(Problem("course.yaml", 3, "bad")) == "course.yaml:3: bad"
    assert str(Problem("course.yaml", None, "bad")) == "course.yaml: bad"
    assert str(Problem("", None, "the upload is not a zip archive")) == (
        "the upload is not a zip archive"
    )


# Reading zips and folders


def test_a_zip_under_one_top_level_folder_is_unwrapped():
    assert read_zip(zipped(example(), root="small-course/"), **LIMITS) == example()


def test_a_zip_with_the_package_at_its_root_reads_the_same():
    assert read_zip(zipped(example()), **LIMITS) == example()


def test_directory_entries_and_macos_litter_are_ignored():
    files = example()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("small-course/", b"")
        archive.writestr("small-course/assets/", b"")
        for path, data in files.items():
            archive.writestr(f"small-course/{path}", data)
        archive.writestr("__MACOSX/small-course/._course.yaml", b"\x00\x05\x16\x07")
        archive.writestr("small-course/.DS_Store", b"\x00\x00\x00\x01Bud1")

    assert read_zip(buffer.getvalue(), **LIMITS) == files


def test_read_folder_ignores_macos_litter(tmp_path):
    (tmp_path / "course.yaml").write_text("slug: x\n")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (tmp_path / "__MACOSX").mkdir()
    (tmp_path / "__MACOSX" / "._course.yaml").write_bytes(b"\x00")

    assert read_folder(tmp_path, **LIMITS) == {"course.yaml": b"slug: x\n"}


def test_data_that_is_not_a_zip_is_refused():
    assert refusal(b"PK but not really a zip") == ["the upload is not a zip archive"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../evil.md", "a path with .. is not allowed"),
        ("small-course/../../evil.md", "a path with .. is not allowed"),
        ("..\\..\\evil.md", "a path with .. is not allowed"),
        ("/etc/cron.d/evil", "an absolute path is not allowed"),
        ("C:/Windows/evil.dll", "an absolute path is not allowed"),
    ],
)
def test_a_zip_slip_entry_is_refused(name, reason):
    assert refusal(zipped_with(name)) == [f"{name}: {reason}"]


def test_a_symbolic_link_entry_is_refused():
    link = zipfile.ZipInfo("assets/stripes.png")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16

    assert refusal(zipped_with(link, b"/etc/passwd")) == [
        "assets/stripes.png: symbolic links are not allowed"
    ]


def test_an_encrypted_entry_is_refused():
    # zipfile cannot write encrypted entries: set the flag in the local and central headers.
    secret = bytearray(zipped({"course.yaml": b"slug: secret\n"}))
    secret[6] |= 0x1
    secret[secret.find(b"PK\x01\x02") + 8] |= 0x1

    assert refusal(bytes(secret)) == ["course.yaml: encrypted entries are not allowed"]


def test_a_zip_with_too_many_files_is_refused():
    assert refusal(zipped(example()), max_files=10) == ["the archive holds more than 10 files"]


def test_a_zip_bomb_that_declares_its_size_is_refused():
    bomb = zipped({"course.yaml": b"\n" * 2_000_000})

    assert len(bomb) < 10_000
    assert refusal(bomb, max_bytes=1_000_000) == ["the archive unpacks to more than 1000000 bytes"]


def test_a_zip_bomb_with_a_lying_header_is_refused():
    bomb = bytearray(zipped({"course.yaml": b"\n" * 2_000_000}))
    # Claim 10 bytes in the local header and in the central directory.
    bomb[22:26] = (10).to_bytes(4, "little")
    central = bomb.find(b"PK\x01\x02")
    bomb[central + 24 : central + 28] = (10).to_bytes(4, "little")

    assert refusal(bytes(bomb), max_bytes=1_000) == [
        "course.yaml: the archive is damaged and cannot be read"
    ]


def test_entries_that_appear_twice_are_refused():
    with pytest.warns(UserWarning, match="Duplicate name"):
        data = zipped_with("course.yaml", b"slug: evil\n")

    assert refusal(data) == ["course.yaml: the archive holds this file twice"]


def test_a_folder_with_a_symbolic_link_is_refused(tmp_path):
    (tmp_path / "course.yaml").write_text("slug: x\n")
    (tmp_path / "assets").mkdir()
    os.symlink("/etc/passwd", tmp_path / "assets" / "passwd.png")

    with pytest.raises(PackageRefused) as refused:
        read_folder(tmp_path, **LIMITS)

    assert str(refused.value) == "assets/passwd.png: symbolic links are not allowed"


def test_a_folder_over_the_limits_is_refused():
    with pytest.raises(PackageRefused, match="the folder holds more than 5 files"):
        read_folder(EXAMPLE, max_files=5, max_bytes=50_000_000)
    with pytest.raises(PackageRefused, match="the folder holds more than 1000 bytes"):
        read_folder(EXAMPLE, max_files=2000, max_bytes=1000)


def test_a_path_that_is_not_a_folder_is_refused(tmp_path):
    with pytest.raises(PackageRefused, match="is not a folder"):
        read_folder(tmp_path / "nothing-here", **LIMITS)


def test_a_fake_png_in_a_zip_is_a_problem():
    files = read_zip(zipped_with("assets/fake.png", b"<svg onload=alert(1)>"), **LIMITS)

    assert problems(files) == ["assets/fake.png: the file is not really a PNG image"]


def test_a_lesson_that_is_not_utf8_is_a_problem():
    path = "why-it-matters/greenhouse.fr.md"
    latin1 = example()[path].decode().encode("latin-1", errors="replace")
    files = read_zip(zipped({**example(), path: latin1}), **LIMITS)

    assert problems(files) == [f"{path}:6: the file is not UTF-8 text (byte 0xe8)"]


# course.yaml


def test_an_unknown_field_is_reported_at_its_line():
    files = edit(example(), "course.yaml", "tags:", "colour: green\ntags:")

    assert problems(files) == [
        f'course.yaml:{line_of(files, "course.yaml", "colour")}: unknown field "colour"'
    ]


def test_a_missing_required_field_is_reported():
    files = edit(example(), "course.yaml", "licence: CC-BY-SA-4.0\n", "")

    assert problems(files) == ['course.yaml:1: missing required field "licence"']


def test_a_wrong_type_is_reported():
    files = edit(example(), "course.yaml", "estimated_minutes: 35", "estimated_minutes: half")

    assert problems(files) == [
        f"course.yaml:{line_of(files, 'course.yaml', 'estimated_minutes')}: "
        "estimated_minutes: must be a positive whole number"
    ]


def test_a_duplicate_yaml_key_is_reported_at_the_second_one():
    files = edit(example(), "course.yaml", "certifiable: false", "certifiable: false\ntags: [x]")

    assert problems(files) == [
        f'course.yaml:{line_of(files, "course.yaml", "tags: [x]")}: duplicate key "tags"'
    ]


def test_a_yaml_syntax_error_has_the_line_of_the_error():
    files = edit(example(), "why-it-matters/module.yaml", "quiz: check", "quiz: check: oops")

    assert problems(files) == [
        "why-it-matters/module.yaml:10: YAML syntax error: mapping values are not allowed here"
    ]


def test_yaml_aliases_are_refused():
    files = edit(example(), "course.yaml", "tags: [climate, example]", "tags: &t [climate]")
    files = edit(files, "course.yaml", "audience: [adults]", "audience: *t")

    assert problems(files) == [
        f"course.yaml:{line_of(files, 'course.yaml', '*t')}: YAML aliases (*name) are not allowed"
    ]


def test_an_invalid_slug_is_reported():
    files = edit(example(), "course.yaml", "slug: small-course", "slug: Small Course")

    assert problems(files) == [f'course.yaml:1: slug: "Small Course" is not a slug ({SLUG_RULE})']


@pytest.mark.parametrize("version", ["1.0", "v1.0.0", "1.0.0-beta", "01.0.0"])
def test_a_version_must_be_major_minor_patch(version):
    files = edit(example(), "course.yaml", "version: 1.0.0", f"version: {version}")

    assert problems(files) == [
        f'course.yaml:2: version: "{version}" is not MAJOR.MINOR.PATCH, e.g. 1.0.0'
    ]


@pytest.mark.parametrize("licence", ["CC-BY-SA-4.0", "CC-BY-4.0", "CC0-1.0", "MIT", "GPL-3.0+"])
def test_spdx_licence_ids_are_accepted(licence):
    files = edit(example(), "course.yaml", "licence: CC-BY-SA-4.0", f"licence: {licence}")

    assert load_package(files)[0].licence == licence


def test_a_licence_in_free_text_is_refused():
    files = edit(example(), "course.yaml", "licence: CC-BY-SA-4.0", "licence: ask us first")
    line = line_of(files, "course.yaml", "licence")

    assert problems(files) == [
        f'course.yaml:{line}: licence: "ask us first" is not an SPDX licence id such as '
        "CC-BY-SA-4.0"
    ]


def test_an_unknown_language_and_a_repeated_one_are_reported():
    files = edit(example(), "course.yaml", "languages: [en, nl, fr]", "languages: [en, nl, de, en]")

    in_course_yaml = [problem for problem in problems(files) if problem.startswith("course.yaml")]
    assert in_course_yaml[:2] == [
        'course.yaml:3: languages[3]: "de" is not one of nl, fr, en',
        'course.yaml:3: languages[4]: "en" is listed twice',
    ]


def test_an_audience_outside_the_list_is_reported():
    files = edit(example(), "course.yaml", "audience: [adults]", "audience: [adults, robots]")
    line = line_of(files, "course.yaml", "robots")

    assert problems(files) == [
        f'course.yaml:{line}: audience[2]: "robots" is not one of adults, pupils, teachers, '
        "facilitators, civil-servants"
    ]


def test_a_language_map_missing_a_language_is_reported_at_its_field():
    files = edit(example(), "course.yaml", "  fr: Le changement climatique en deux étapes\n", "")

    assert problems(files) == ['course.yaml:4: title: missing language "fr"']


def test_a_language_map_with_an_undeclared_language_is_reported():
    files = edit(
        example(),
        "why-it-matters/module.yaml",
        "  fr: Pourquoi c'est important\n",
        "  fr: Pourquoi c'est important\n  de: Warum es wichtig ist\n",
    )

    assert problems(files) == [
        'why-it-matters/module.yaml:5: title: language "de" is not one of the course\'s '
        "languages (en, nl, fr)"
    ]


def test_a_nested_field_names_its_path():
    files = edit(example(), "course.yaml", "url: https://example.org", "url: example.org")

    assert problems(files) == [
        f"course.yaml:{line_of(files, 'course.yaml', 'url:')}: authors[1].url: "
        "must be an https or http link"
    ]


def test_a_duplicate_reflection_prompt_id_is_reported():
    files = edit(
        example(),
        "course.yaml",
        "reflection_prompts:\n",
        "reflection_prompts:\n  - id: what-surprised-you\n    text: {en: a, nl: b, fr: c}\n",
    )

    assert problems(files) == [
        f"course.yaml:{line_of(files, 'course.yaml', 'what-surprised-you') + 2}: "
        'reflection_prompts[2].id: "what-surprised-you" is used twice'
    ]


def test_a_missing_course_yaml_is_reported():
    assert problems(without(example(), "course.yaml")) == [
        "course.yaml: missing: a package has course.yaml at its root"
    ]


# Modules


def test_a_module_listed_without_a_folder_is_reported():
    files = {path: data for path, data in example().items() if not path.startswith("first-steps/")}

    assert problems(files) == ['course.yaml:19: modules: there is no module folder "first-steps/"']


def test_a_module_folder_that_is_not_listed_is_reported():
    files = {**example(), "extra/module.yaml": example()["first-steps/module.yaml"]}

    assert problems(files) == ['extra/: folder "extra" is not a module listed in course.yaml']


def test_a_module_folder_without_module_yaml_is_reported():
    files = without(example(), "first-steps/module.yaml")

    assert problems(files) == [
        "first-steps/module.yaml: missing: a module folder has a module.yaml"
    ]


def test_a_module_listed_twice_is_reported():
    files = edit(
        example(),
        "course.yaml",
        "modules: [why-it-matters, first-steps]",
        "modules: [why-it-matters, first-steps, why-it-matters]",
    )

    assert problems(files) == ['course.yaml:19: modules[3]: "why-it-matters" is listed twice']


def test_an_empty_lessons_list_is_reported():
    files = edit(example(), "first-steps/module.yaml", "[your-footprint, talk-about-it]", "[]")

    assert problems(files) == [
        "first-steps/module.yaml:9: lessons: must be a non-empty list of lesson slugs"
    ]


def test_a_listed_lesson_without_files_is_reported():
    files = edit(example(), "first-steps/module.yaml", "talk-about-it]", "talk-about-it, ghost]")

    assert problems(files) == [
        'first-steps/module.yaml:9: lessons: lesson "ghost" has no files; expected '
        "first-steps/ghost.en.md, first-steps/ghost.nl.md, first-steps/ghost.fr.md"
    ]


def test_a_lesson_missing_a_declared_language_is_reported():
    files = without(example(), "why-it-matters/greenhouse.fr.md")

    assert problems(files) == [
        'why-it-matters/module.yaml:9: lessons: lesson "greenhouse" has no file for language '
        '"fr": expected why-it-matters/greenhouse.fr.md'
    ]


def test_a_lesson_file_in_an_undeclared_language_is_reported():
    files = example()
    files = {**files, "why-it-matters/greenhouse.de.md": files["why-it-matters/greenhouse.en.md"]}

    assert problems(files) == [
        'why-it-matters/greenhouse.de.md: language "de" is not one of the course\'s languages '
        "(en, nl, fr)"
    ]


def test_a_lesson_file_that_is_not_listed_is_reported():
    files = example()
    files = {**files, "why-it-matters/extra.en.md": files["why-it-matters/greenhouse.en.md"]}

    assert problems(files) == [
        'why-it-matters/extra.en.md: lesson "extra" is not listed in why-it-matters/module.yaml'
    ]


def test_a_lesson_slug_used_in_two_modules_is_reported():
    files = example()
    for language in ("en", "nl", "fr"):
        files[f"first-steps/greenhouse.{language}.md"] = files[
            f"why-it-matters/greenhouse.{language}.md"
        ]
    files = edit(files, "first-steps/module.yaml", "talk-about-it]", "talk-about-it, greenhouse]")

    assert problems(files) == [
        'first-steps/module.yaml:9: lessons: lesson "greenhouse" is already in module '
        '"why-it-matters"; lesson slugs are unique in a course'
    ]


def test_a_lesson_listed_twice_in_a_module_is_reported():
    files = edit(
        example(), "why-it-matters/module.yaml", "[greenhouse,", "[greenhouse, greenhouse,"
    )

    assert problems(files) == [
        'why-it-matters/module.yaml:9: lessons[2]: "greenhouse" is listed twice'
    ]


def test_a_quiz_slug_used_in_two_modules_is_reported():
    files = example()
    files["first-steps/check.quiz.yaml"] = files["why-it-matters/check.quiz.yaml"]
    files = edit(files, "first-steps/module.yaml", "prerequisites:", "quiz: check\nprerequisites:")

    assert problems(files) == [
        'first-steps/module.yaml:10: quiz: quiz "check" is already in module "why-it-matters"; '
        "quiz slugs are unique in a course"
    ]


def test_a_quiz_without_its_file_is_reported():
    files = without(example(), "why-it-matters/check.quiz.yaml")

    assert problems(files) == [
        "why-it-matters/module.yaml:10: quiz: there is no file why-it-matters/check.quiz.yaml"
    ]


def test_a_quiz_file_that_is_not_referenced_is_reported():
    files = edit(example(), "why-it-matters/module.yaml", "quiz: check\n", "")

    assert problems(files) == [
        "why-it-matters/check.quiz.yaml: this quiz is not the quiz of why-it-matters/module.yaml"
    ]


def test_a_prerequisite_that_is_not_a_module_is_reported():
    files = edit(example(), "first-steps/module.yaml", "[why-it-matters]", "[why-it-matter]")

    assert problems(files) == [
        'first-steps/module.yaml:10: prerequisites[1]: "why-it-matter" is not a module of '
        "this course"
    ]


def test_a_module_that_requires_itself_is_reported():
    files = edit(example(), "first-steps/module.yaml", "[why-it-matters]", "[first-steps]")

    assert problems(files) == [
        "first-steps/module.yaml:10: prerequisites[1]: a module cannot require itself"
    ]


def test_a_prerequisite_cycle_is_named():
    files = edit(
        example(), "why-it-matters/module.yaml", "prerequisites: []", "prerequisites: [first-steps]"
    )

    assert problems(files) == [
        "why-it-matters/module.yaml:11: prerequisites form a cycle: "
        "why-it-matters -> first-steps -> why-it-matters"
    ]


def test_a_source_without_an_http_url_is_reported():
    files = edit(
        example(),
        "first-steps/module.yaml",
        "url: https://ourworldindata.org/",
        "url: ftp://ourworldindata.org/",
    )
    line = line_of(files, "first-steps/module.yaml", "ftp:")

    assert problems(files) == [
        f"first-steps/module.yaml:{line}: sources[1].url: must be an https or http link"
    ]


# Lessons


def test_a_lesson_without_front_matter_is_reported():
    path = "first-steps/talk-about-it.nl.md"
    files = {**example(), path: b"Praat erover.\n"}

    assert problems(files) == [
        f'{path}:1: a lesson starts with a front matter header between two "---" lines'
    ]


def test_front_matter_errors_have_the_line_of_the_real_file():
    path = "first-steps/talk-about-it.nl.md"
    files = edit(example(), path, "kind: discussion", "kind: discussion\nauthor: me")

    assert problems(files) == [f'{path}:5: unknown field "author"']


def test_an_unknown_kind_is_reported():
    path = "first-steps/talk-about-it.en.md"
    files = example()
    for language in ("en", "nl", "fr"):
        files = edit(files, path.replace("en", language), "kind: discussion", "kind: lecture")

    assert problems(files)[0] == (
        f'{path}:4: kind: "lecture" is not one of reading, video, activity, discussion'
    )


def test_a_kind_that_differs_between_languages_is_reported():
    path = "why-it-matters/greenhouse.fr.md"
    files = edit(example(), path, "kind: reading", "kind: activity")

    assert problems(files) == [
        f"{path}:4: kind: activity here but reading in why-it-matters/greenhouse.en.md; "
        "a lesson has the same kind in every language"
    ]


def test_minutes_that_differ_between_languages_are_reported():
    path = "why-it-matters/greenhouse.nl.md"
    files = edit(example(), path, "minutes: 8", "minutes: 10")

    assert problems(files) == [
        f"{path}:3: minutes: 10 here but 8 in why-it-matters/greenhouse.en.md; "
        "a lesson has the same minutes in every language"
    ]


def test_a_video_lesson_needs_an_https_video_link():
    files = example()
    for language in ("en", "nl", "fr"):
        path = f"first-steps/your-footprint.{language}.md"
        files = edit(files, path, "kind: reading", "kind: video")
    http_video = edit(
        files,
        "first-steps/your-footprint.nl.md",
        "kind: video",
        "kind: video\nvideo: http://v.example/1",
    )

    assert problems(files) == [
        f"first-steps/your-footprint.{language}.md:4: video: a video lesson needs an https link "
        "to it"
        for language in ("en", "fr", "nl")
    ]
    assert "first-steps/your-footprint.nl.md:5: video: must be an https link" in problems(
        http_video
    )


def test_a_video_lesson_with_the_same_link_everywhere_loads():
    files = example()
    for language in ("en", "nl", "fr"):
        path = f"first-steps/your-footprint.{language}.md"
        files = edit(files, path, "kind: reading", "kind: video\nvideo: https://v.example/1")

    lesson = load_package(files)[0].modules[1].lessons[0]

    assert (lesson.kind, lesson.video) == ("video", "https://v.example/1")


def test_an_image_outside_the_assets_is_reported_at_its_line_in_the_file():
    path = "why-it-matters/warming-stripes.en.md"
    files = edit(
        example(), path, "](../assets/warming-stripes.png)", "](https://evil.example/x.png)"
    )

    assert problems(files) == [
        f'{path}:9: image "https://evil.example/x.png": images are files of the package: '
        "../assets/<name>"
    ]


def test_an_image_of_a_missing_asset_is_reported():
    path = "why-it-matters/warming-stripes.nl.md"
    files = edit(example(), path, "../assets/warming-stripes.png", "../assets/stripes.png")

    assert problems(files) == [
        f'{path}:10: image "../assets/stripes.png": there is no assets/stripes.png'
    ]


@pytest.mark.parametrize("target", ["javascript:alert(1)", "ftp://example.org/x", "greenhouse.md"])
def test_a_link_that_is_not_web_or_mail_is_reported(target):
    path = "why-it-matters/greenhouse.en.md"
    files = edit(example(), path, "(https://www.ipcc.ch/report/ar6/syr/)", f"({target})")

    assert problems(files) == [
        f'{path}:21: link "{target}": a link must be an https, http or mailto address'
    ]


def test_a_mailto_link_is_fine():
    path = "why-it-matters/greenhouse.en.md"
    files = edit(example(), path, "(https://www.ipcc.ch/report/ar6/syr/)", "(mailto:a@example.org)")

    assert load_package(files)[1] == []


# Quizzes


def test_a_single_question_needs_exactly_one_correct_option():
    files = edit(
        example(),
        "why-it-matters/check.quiz.yaml",
        "{en: Methane, nl: Methaan, fr: Méthane}\n",
        "{en: Methane, nl: Methaan, fr: Méthane}\n        correct: true\n",
    )

    assert problems(files) == [
        "why-it-matters/check.quiz.yaml:14: questions[1].options: a single question needs "
        "exactly one correct option, not 2"
    ]


def test_a_multiple_question_needs_a_correct_option():
    files = example()
    path = "why-it-matters/check.quiz.yaml"
    files = edit(
        files,
        path,
        "        correct: true\n        explanation:\n          en: Yes, it",
        "        explanation:\n          en: Yes, it",
    )
    files = edit(
        files,
        path,
        "        correct: true\n        explanation:\n          en: Yes;",
        "        explanation:\n          en: Yes;",
    )

    assert problems(files) == [
        f"{path}:{line_of(files, path, 'id: greenhouse-gases') + 6}: questions[2].options: "
        "a multiple question needs at least one correct option"
    ]


def test_a_numeric_question_needs_a_numeric_answer():
    path = "why-it-matters/check.quiz.yaml"
    files = edit(example(), path, "answer: 1.1", "answer: about one")

    assert problems(files) == [
        f"{path}:{line_of(files, path, 'about one')}: questions[3].answer: a numeric question "
        "needs a number as its answer"
    ]


def test_a_negative_tolerance_is_reported():
    path = "why-it-matters/check.quiz.yaml"
    files = edit(example(), path, "tolerance: 0.2", "tolerance: -0.2")

    assert problems(files) == [
        f"{path}:{line_of(files, path, 'tolerance')}: questions[3].tolerance: must be 0 or more"
    ]


@pytest.mark.parametrize("pass_mark", ["0", "101", "60.5", "most"])
def test_a_pass_mark_must_be_from_1_to_100(pass_mark):
    path = "why-it-matters/check.quiz.yaml"
    files = edit(example(), path, "pass_mark: 60", f"pass_mark: {pass_mark}")

    assert problems(files) == [f"{path}:5: pass_mark: must be a whole number from 1 to 100"]


def test_a_duplicate_question_id_is_reported():
    path = "why-it-matters/check.quiz.yaml"
    files = edit(example(), path, "id: greenhouse-gases", "id: main-gas")

    assert problems(files) == [
        f'{path}:{line_of(files, path, "type: multiple") - 1}: questions[2].id: "main-gas" is '
        "used twice"
    ]


def test_a_duplicate_option_id_is_reported():
    path = "why-it-matters/check.quiz.yaml"
    files = edit(example(), path, "id: methane", "id: co2")

    assert problems(files) == [
        f'{path}:{line_of(files, path, "{en: Methane") - 1}: questions[1].options[2].id: "co2" is '
        "used twice"
    ]


def test_an_unknown_question_type_is_reported():
    path = "why-it-matters/check.quiz.yaml"
    files = edit(example(), path, "type: true_false", "type: yes_no")

    assert problems(files) == [
        f'{path}:{line_of(files, path, "yes_no")}: questions[4].type: "yes_no" is not one of '
        "single, multiple, true_false, numeric"
    ]


def test_a_field_of_another_question_type_is_unknown():
    path = "why-it-matters/check.quiz.yaml"
    files = edit(example(), path, "    answer: true\n", "    answer: true\n    tolerance: 1\n")

    assert problems(files) == [
        f'{path}:{line_of(files, path, "tolerance: 1")}: questions[4]: unknown field "tolerance"'
    ]


# Assets and files


def test_an_asset_that_is_not_the_image_its_name_says_is_reported():
    files = {**example(), "assets/warming-stripes.png": b"GIF89a not a png"}

    assert problems(files) == ["assets/warming-stripes.png: the file is not really a PNG image"]


def test_an_asset_of_another_type_is_reported():
    files = {**example(), "assets/diagram.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>"}

    assert problems(files) == [
        "assets/diagram.svg: an asset must be one of .png, .jpg, .jpeg, .gif, .webp images"
    ]


def test_jpeg_gif_and_webp_assets_are_accepted():
    files = {
        **example(),
        "assets/photo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF",
        "assets/anim.gif": b"GIF89a\x01\x00\x01\x00",
        "assets/small.webp": b"RIFF\x1a\x00\x00\x00WEBPVP8L",
    }

    assets = load_package(files)[0].assets

    assert {name: asset.media_type for name, asset in assets.items()} == {
        "warming-stripes.png": "image/png",
        "photo.jpg": "image/jpeg",
        "anim.gif": "image/gif",
        "small.webp": "image/webp",
    }


@pytest.mark.parametrize(
    "path",
    ["README.md", "why-it-matters/notes.txt", "assets/icons/leaf.png", "a/b/c.md"],
)
def test_a_file_the_format_does_not_know_is_reported(path):
    files = {**example(), path: b"hello"}

    assert problems(files) == [
        f"{path}: unexpected file; a package holds course.yaml, badges.yaml, assets/<image>, "
        "badges/<image>.svg, <module>/module.yaml, <module>/<lesson>.<language>.md and "
        "<module>/<quiz>.quiz.yaml"
    ]


@pytest.mark.parametrize(
    ("path", "reported"),
    [
        (".env", ".env"),
        (".git/config", ".git"),
        ("why-it-matters/.greenhouse.en.md.swp", "why-it-matters/.greenhouse.en.md.swp"),
    ],
)
def test_a_hidden_file_or_folder_is_reported(path, reported):
    files = {**example(), path: b"secret"}

    assert problems(files) == [f"{reported}: hidden files and folders are not allowed"]


def test_every_problem_is_reported_at_once():
    files = edit(example(), "course.yaml", "licence: CC-BY-SA-4.0", "licence: ask us")
    files = without(files, "first-steps/talk-about-it.fr.md")
    files = edit(files, "why-it-matters/check.quiz.yaml", "pass_mark: 60", "pass_mark: 600")
    files = {**files, "assets/fake.png": b"not a png", "notes.txt": b"todo"}

    assert problems(files) == [
        "assets/fake.png: the file is not really a PNG image",
        f'course.yaml:{line_of(files, "course.yaml", "licence")}: licence: "ask us" is not an '
        "SPDX licence id such as CC-BY-SA-4.0",
        'first-steps/module.yaml:9: lessons: lesson "talk-about-it" has no file for language '
        '"fr": expected first-steps/talk-about-it.fr.md',
        "notes.txt: unexpected file; a package holds course.yaml, badges.yaml, assets/<image>, "
        "badges/<image>.svg, <module>/module.yaml, <module>/<lesson>.<language>.md and "
        "<module>/<quiz>.quiz.yaml",
        "why-it-matters/check.quiz.yaml:5: pass_mark: must be a whole number from 1 to 100",
    ]


def test_a_yaml_file_that_is_not_utf8_is_reported():
    files = {**example(), "first-steps/module.yaml": b"title:\n  fr: Premiers pas \xe0 faire\n"}

    assert problems(files) == ["first-steps/module.yaml:2: the file is not UTF-8 text (byte 0xe0)"]
