"""Levels: names in nl, fr and en, and the total of points from which each is reached."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Level:
    threshold: int
    names: dict[str, str]


# A tree grows from a seed: gentle early steps so that a first lesson already shows progress.
LEVELS = (
    Level(0, {"nl": "Kiemplant", "fr": "Semis", "en": "Seedling"}),
    Level(100, {"nl": "Scheut", "fr": "Pousse", "en": "Sprout"}),
    Level(300, {"nl": "Boompje", "fr": "Arbrisseau", "en": "Sapling"}),
    Level(700, {"nl": "Boom", "fr": "Arbre", "en": "Tree"}),
    Level(1500, {"nl": "Bosje", "fr": "Bosquet", "en": "Grove"}),
    Level(3000, {"nl": "Bos", "fr": "Forêt", "en": "Forest"}),
)


def level_for(total: int) -> tuple[Level, Level | None]:
    """The level a total reaches and the next one (None at the top); a total below zero, after
    a correction, stays at the first level."""
    reached = LEVELS[0]
    for level in LEVELS[1:]:
        if total < level.threshold:
            return reached, level
        reached = level
    return reached, None
