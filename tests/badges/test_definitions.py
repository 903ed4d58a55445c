"""The platform badges file: the shipped one is valid, a broken one names every problem."""

from pathlib import Path

import pytest
import yaml

from learning.badges.definitions import (
    PLATFORM_FILE,
    RULE_TYPES,
    BadgeFileError,
    load_platform_badges,
)
from tests.badges.conftest import TEST_BADGES, badge_definition

COURSES = Path(__file__).resolve().parents[2] / "courses"


def write(tmp_path, badges, name="badges.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"badges": badges}), encoding="utf-8")
    return path


def test_the_shipped_badges_are_valid_and_use_every_rule_type():
    badges = load_platform_badges(PLATFORM_FILE)

    assert {badge["rule"]["type"] for badge in badges.values()} == set(RULE_TYPES)
    assert badges["carbon-literate"]["rule"] == {"type": "certification_approved"}
    for badge in badges.values():
        assert set(badge["name"]) == {"nl", "fr", "en"}


def test_the_shipped_module_badges_name_modules_of_the_shipped_course():
    badges = load_platform_badges(PLATFORM_FILE)
    for badge in badges.values():
        rule = badge["rule"]
        if rule["type"] != "modules_completed":
            continue
        course = yaml.safe_load((COURSES / rule["course"] / "course.yaml").read_text())
        assert set(rule["modules"]) <= set(course["modules"]), badge["slug"]


def test_a_broken_file_lists_every_problem_with_its_badge(tmp_path):
    badges = [
        *TEST_BADGES[1:],
        badge_definition("bad-type", {"type": "moon_landing"}),
        badge_definition("no-count", {"type": "pledges_done"}),
        badge_definition("extra", {"type": "course_completed", "weeks": 3}),
        badge_definition("pale", {"type": "challenge_met"}, colour="white"),
        badge_definition("odd-level", {"type": "points_level", "threshold": 123}),
        badge_definition("finisher", {"type": "course_completed"}),
    ]

    with pytest.raises(BadgeFileError) as raised:
        load_platform_badges(write(tmp_path, badges))

    problems = raised.value.problems
    assert any(p.startswith("bad-type: rule.type:") for p in problems)
    assert "no-count: rule.count: Required by this rule type." in problems
    assert "extra: rule.weeks: Not a parameter of course_completed." in problems
    assert any(p.startswith("pale: colour:") for p in problems)
    assert any(p.startswith("odd-level: rule.threshold: 123 is not a level") for p in problems)
    assert "finisher: the slug is used by another badge." in problems
    assert any(p.startswith("carbon-literate: the certification's badge") for p in problems)


def test_a_missing_translation_is_a_problem(tmp_path):
    broken = badge_definition("half", {"type": "challenge_met"})
    del broken["criteria"]["fr"]

    with pytest.raises(BadgeFileError) as raised:
        load_platform_badges(write(tmp_path, [TEST_BADGES[0], broken]))

    assert raised.value.problems == ["half: criteria.fr: Missing data for required field."]


def test_a_platform_badge_may_bring_an_authored_image(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "star.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><!-- hi --><circle r="4"/></svg>'
    )
    (tmp_path / "images" / "evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    good = badge_definition("good", {"type": "challenge_met"}, image="star.svg")
    evil = badge_definition("evil", {"type": "challenge_met"}, image="evil.svg")
    gone = badge_definition("gone", {"type": "challenge_met"}, image="missing.svg")
    path = write(tmp_path, [TEST_BADGES[0], good])

    assert load_platform_badges(path)["good"]["image_svg"] == (
        '<svg xmlns="http://www.w3.org/2000/svg"><circle r="4" /></svg>'
    )
    with pytest.raises(BadgeFileError) as raised:
        load_platform_badges(write(tmp_path, [TEST_BADGES[0], evil, gone], "broken.yaml"))
    assert "evil: image: element <script> is not allowed" in raised.value.problems
    assert any(problem.startswith("gone: image: ") for problem in raised.value.problems)
