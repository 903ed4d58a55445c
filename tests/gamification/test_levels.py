"""Levels: reached at thresholds, named in the learner's language, with the points still to go."""

import pytest

from learning.gamification.levels import LEVELS, level_for


@pytest.mark.parametrize(
    ("total", "level", "next_level"),
    [
        (-20, "Seedling", "Sprout"),
        (0, "Seedling", "Sprout"),
        (99, "Seedling", "Sprout"),
        (100, "Sprout", "Sapling"),
        (299, "Sprout", "Sapling"),
        (300, "Sapling", "Tree"),
        (2999, "Grove", "Forest"),
        (3000, "Forest", None),
        (10**6, "Forest", None),
    ],
)
def test_a_level_starts_at_its_threshold(total, level, next_level):
    reached, following = level_for(total)

    assert reached.names["en"] == level
    assert (following.names["en"] if following else None) == next_level


def test_thresholds_rise():
    thresholds = [level.threshold for level in LEVELS]

    assert thresholds[0] == 0
    assert thresholds == sorted(set(thresholds))


def test_my_points_show_my_level_in_my_language(client, person, admin, points):
    ana = person("Ana", locale="nl")
    client.post(
        f"/api/v1/users/{ana.id}/points/corrections",
        json={"points": 100, "reason": "Welcome bonus"},
        headers=admin.headers,
    )

    mine = points(ana)

    assert mine["total"] == 100
    assert mine["level"] == {"name": "Scheut", "threshold": 100}
    assert mine["next_level"] == {"name": "Boompje", "threshold": 300, "points_needed": 200}
    assert points(ana, lang="fr")["level"]["name"] == "Pousse"


def test_a_newcomer_is_a_seedling(person, points):
    mine = points(person("Ana", locale="fr"))

    assert mine["total"] == 0
    assert mine["level"] == {"name": "Semis", "threshold": 0}
    assert mine["next_level"]["points_needed"] == 100
    assert mine["recent"] == []


def test_the_levels_are_published(client):
    levels = client.get("/api/v1/points/levels?lang=en").json["items"]

    assert levels[0] == {"name": "Seedling", "threshold": 0}
    assert len(levels) == len(LEVELS)
