"""A package's own badges (badges.yaml and badges/*.svg): what the validator accepts and refuses.

Each broken package is the documented example with one small change, as in test_package.py.
"""

from learning.badges.definitions import COURSE_RULE_TYPES
from learning.courses.package import BADGE_RULES, load_package
from tests.courses.test_package import edit, example, line_of, problems, without

BADGES = "badges.yaml"


def test_the_example_defines_two_badges_one_with_its_own_image():
    package, found = load_package(example())
    assert found == []
    assert [(badge.slug, badge.rule) for badge in package.badges] == [
        ("small-course-two-steps", {"type": "course_completed"}),
        (
            "small-course-why-it-matters",
            {"type": "modules_completed", "modules": ["why-it-matters"]},
        ),
    ]
    two_steps, why = package.badges
    assert two_steps.name == {
        "en": "Two steps taken",
        "nl": "Twee stappen gezet",
        "fr": "Deux étapes franchies",
    }
    assert (
        two_steps.image_svg.startswith("<svg")
        and "<title>Two steps taken</title>" in two_steps.image_svg
    )
    assert why.image_svg is None


def test_a_package_without_badges_yaml_defines_none():
    files = without(example(), BADGES, "badges/two-steps.svg")
    package, found = load_package(files)
    assert found == [] and package.badges == []


def test_package_rule_types_are_the_badge_domains_course_rules():
    assert set(BADGE_RULES) == set(COURSE_RULE_TYPES)


def test_a_rule_about_anything_but_the_course_is_refused():
    files = edit(example(), BADGES, "rule: {type: course_completed}", "rule: {type: pledges_done}")
    line = line_of(files, BADGES, "pledges_done")
    assert problems(files) == [
        f"{BADGES}:{line}: badges[1].rule.type: must be one of "
        "course_completed, modules_completed, certification_approved"
    ]


def test_modules_must_be_modules_of_the_course():
    files = edit(example(), BADGES, "modules: [why-it-matters]", "modules: [why-it-matters, later]")
    line = line_of(files, BADGES, "modules: [why")
    assert problems(files) == [
        f'{BADGES}:{line}: badges[2].rule.modules: "later" is not a module of the course'
    ]


def test_a_modules_rule_needs_its_modules_and_other_rules_take_none():
    files = edit(example(), BADGES, "      modules: [why-it-matters]\n", "")
    files = edit(
        files, BADGES, "rule: {type: course_completed}", "rule: {type: course_completed, count: 2}"
    )
    found = problems(files)
    assert any('badges[2].rule: missing required field "modules"' in problem for problem in found)
    assert any('badges[1].rule: unknown field "count"' in problem for problem in found)
    assert len(found) == 2


def test_texts_are_in_every_course_language_and_not_too_long():
    files = edit(example(), BADGES, "      fr: Deux étapes franchies\n", "")
    files = edit(files, BADGES, "en: Knows why it matters", "en: " + "x" * 81)
    found = problems(files)
    assert any('badges[1].name: missing language "fr"' in problem for problem in found)
    assert any("badges[2].name.en: at most 80 characters" in problem for problem in found)
    assert len(found) == 2


def test_colour_icon_and_slug_are_checked():
    files = edit(example(), BADGES, 'colour: "#2e7d32"', "colour: green")
    files = edit(files, BADGES, "icon: book", "icon: rocket")
    files = edit(files, BADGES, "slug: small-course-why-it-matters", "slug: Why_It")
    found = "\n".join(problems(files))
    assert 'badges[1].colour: "green" is not a colour like #1b5e20' in found
    assert 'badges[2].icon: "rocket" is not one of' in found
    assert "badges[2].slug: " in found and "is not a slug" in found


def test_slugs_are_unique_within_the_file():
    files = edit(
        example(), BADGES, "slug: small-course-why-it-matters", "slug: small-course-two-steps"
    )
    line = line_of(files, BADGES, 'colour: "#0d47a1"') - 1
    assert problems(files) == [
        f'{BADGES}:{line}: badges[2].slug: "small-course-two-steps" is used twice'
    ]


def test_an_image_must_exist_and_every_image_must_be_used():
    files = edit(example(), BADGES, "image: two-steps.svg", "image: three-steps.svg")
    line = line_of(files, BADGES, "three-steps")
    assert problems(files) == [
        f"{BADGES}:{line}: badges[1].image: there is no file badges/three-steps.svg",
        "badges/two-steps.svg: no badge in badges.yaml uses this image",
    ]


def test_an_unsafe_image_is_refused_with_its_problems():
    files = {
        **example(),
        "badges/two-steps.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    }
    line = line_of(files, BADGES, "image: two-steps.svg")
    assert problems(files) == [
        f"{BADGES}:{line}: badges[1].image: badges/two-steps.svg: element <script> is not allowed"
    ]


def test_other_files_in_badges_are_not_images_of_badges():
    files = {**example(), "badges/notes.txt": b"hello"}
    assert any(
        problem.startswith("badges/notes.txt: unexpected file") for problem in problems(files)
    )


def test_badges_is_not_a_module_folder_name():
    files = edit(
        example(),
        "course.yaml",
        "modules: [why-it-matters, first-steps]",
        "modules: [why-it-matters, first-steps, badges]",
    )
    line = line_of(files, "course.yaml", "modules: [")
    assert f'course.yaml:{line}: modules: "badges" is the folder of images' in problems(files)


def test_badges_yaml_must_list_badges():
    files = {**without(example(), "badges/two-steps.svg"), BADGES: b"badges: []\n"}
    assert problems(files) == [f"{BADGES}:1: badges: must be a non-empty list of badges"]
