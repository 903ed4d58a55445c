"""The endpoints the benchmark drives: one entry each, with its wrk script, its request lines
built from the seeded data, and the issue's target as a ratio to /healthz."""

from collections.abc import Callable
from dataclasses import dataclass

from bench.seed import Seeded
from learning.brussels import COMMUNES

SYNC_BATCH = 50


@dataclass(frozen=True)
class Endpoint:
    """One hot path: how wrk calls it and what it must reach."""

    name: str
    method: str
    path: str
    script: str
    # The lines the script reads (bench/lua/*.lua says their format), from the seeded data.
    lines: Callable[[Seeded], list[str]]
    # Minimum requests per second as a ratio to /healthz in the same run; None: no target.
    target: float | None = None
    # Where PostgreSQL's target is lower (a network round trip per query).
    postgresql_target: float | None = None
    # Events sent per request (progress sync), so that events per second can be reported.
    events_per_request: int = 0
    # Minimum events per second, where the target is in events.
    events_target: int | None = None

    def target_on(self, database: str) -> float | None:
        if database == "postgresql" and self.postgresql_target is not None:
            return self.postgresql_target
        return self.target


def _healthz(_seeded: Seeded) -> list[str]:
    return ["/healthz\t"]


def _anonymous_outlines(seeded: Seeded) -> list[str]:
    return [
        f"/api/v1/courses/{course.slug}?lang={language}\t"
        for course in seeded.courses.values()
        for language in course.languages
    ]


def _my_outlines(seeded: Seeded) -> list[str]:
    return [
        f"/api/v1/courses/{seeded.enrolled[user_id]}\t{token}"
        for user_id, token in seeded.tokens.items()
    ]


def _lessons(seeded: Seeded) -> list[str]:
    return [
        f"/api/v1/courses/{course.slug}/lessons/{lesson}?lang={language}\t"
        for course in seeded.courses.values()
        for _, lesson, _ in course.lessons
        for language in course.languages
    ]


def _my_lessons(seeded: Seeded) -> list[str]:
    lines = []
    for user_id, token in seeded.tokens.items():
        course = seeded.courses[seeded.enrolled[user_id]]
        lesson = course.open_lessons[user_id % len(course.open_lessons)]
        lines.append(f"/api/v1/courses/{course.slug}/lessons/{lesson}\t{token}")
    return lines


def _sync_learners(seeded: Seeded) -> list[str]:
    return [
        "\t".join(
            [
                token,
                seeded.enrolled[user_id],
                ",".join(seeded.courses[seeded.enrolled[user_id]].open_lessons),
            ]
        )
        for user_id, token in seeded.tokens.items()
    ]


def _my_progress(seeded: Seeded) -> list[str]:
    return [f"/api/v1/me/progress\t{token}" for token in seeded.tokens.values()]


def _global_board(seeded: Seeded) -> list[str]:
    return [
        f"/api/v1/leaderboards?scope=global&period=week&limit=20\t{token}"
        for token in seeded.tokens.values()
    ]


def _commune_board(seeded: Seeded) -> list[str]:
    return [
        f"/api/v1/leaderboards?scope=commune:{seeded.communes[user_id]}&period=week&limit=20"
        f"\t{token}"
        for user_id, token in seeded.tokens.items()
    ]


def _class_matrices(seeded: Seeded) -> list[str]:
    return [
        f"/api/v1/classes/{number}/progress\t{token}"
        for number, token in seeded.teacher_tokens.items()
    ]


# Classes in a lesson at once on one node, their teachers reloading the matrix.
RELOADED_CLASSES = 20


def _reloaded_matrices(seeded: Seeded) -> list[str]:
    return _class_matrices(seeded)[:RELOADED_CLASSES]


def _circle_discovery(seeded: Seeded) -> list[str]:
    return [
        f"/api/v1/circles?commune={seeded.communes[user_id]}&open_seats=true\t{token}"
        for user_id, token in seeded.tokens.items()
    ]


def _commune_impact(seeded: Seeded) -> list[str]:
    return [f"/api/v1/impact?scope=commune:{commune}\t" for commune in sorted(COMMUNES)]


HEALTHZ = Endpoint("healthz", "GET", "/healthz", "get.lua", _healthz)

ENDPOINTS = (
    HEALTHZ,
    Endpoint(
        "outline (anonymous)",
        "GET",
        "/api/v1/courses/{slug}?lang=",
        "get.lua",
        _anonymous_outlines,
        target=0.6,
    ),
    Endpoint(
        "outline (signed in)",
        "GET",
        "/api/v1/courses/{slug}",
        "get.lua",
        _my_outlines,
        target=0.3,
    ),
    Endpoint(
        "lesson (anonymous)",
        "GET",
        "/api/v1/courses/{slug}/lessons/{lesson}?lang=",
        "get.lua",
        _lessons,
    ),
    Endpoint(
        "lesson (signed in)",
        "GET",
        "/api/v1/courses/{slug}/lessons/{lesson}",
        "get.lua",
        _my_lessons,
    ),
    Endpoint(
        "progress sync (50 events)",
        "POST",
        "/api/v1/progress/events",
        "sync.lua",
        _sync_learners,
        events_per_request=SYNC_BATCH,
        events_target=2_000,
    ),
    Endpoint("my progress", "GET", "/api/v1/me/progress", "get.lua", _my_progress),
    Endpoint(
        "class matrix (30 x 10)",
        "GET",
        "/api/v1/classes/{id}/progress",
        "get.lua",
        _class_matrices,
        target=0.2,
    ),
    # The same views, a few classes over and over (kept by each process for
    # CLASS_PROGRESS_CACHE_SECONDS): what a teacher following a lesson costs. No target: the
    # issue's is for the first look above.
    Endpoint(
        "class matrix (reloaded)",
        "GET",
        "/api/v1/classes/{id}/progress",
        "get.lua",
        _reloaded_matrices,
    ),
    Endpoint(
        "leaderboard (global week)",
        "GET",
        "/api/v1/leaderboards?scope=global&period=week&limit=20",
        "get.lua",
        _global_board,
        target=0.3,
        postgresql_target=0.25,
    ),
    Endpoint(
        "leaderboard (my commune week)",
        "GET",
        "/api/v1/leaderboards?scope=commune:{commune}&period=week&limit=20",
        "get.lua",
        _commune_board,
        target=0.3,
        postgresql_target=0.25,
    ),
    Endpoint(
        "circle discovery (open seats in my commune)",
        "GET",
        "/api/v1/circles?commune={commune}&open_seats=true",
        "get.lua",
        _circle_discovery,
        target=0.3,
    ),
    Endpoint(
        "impact (a commune)",
        "GET",
        "/api/v1/impact?scope=commune:{commune}",
        "get.lua",
        _commune_impact,
        target=0.3,
    ),
)
