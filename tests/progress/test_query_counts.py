"""The sync and my progress run a fixed number of SQL statements, whatever the batch holds and
however many courses a learner follows: points, streaks and badges of a whole batch are
written once, before the transaction commits."""

import pytest

from tests.factories import import_folder, write_package
from tests.progress.conftest import event


@pytest.fixture
def wide(app, tmp_path):
    """One open module of eight lessons and no quiz: completing some never completes it."""
    return import_folder(app, write_package(tmp_path / "wide", slug="wide", modules=1, lessons=8))


def _statements(count_queries, send) -> int:
    with count_queries() as statements:
        send()
    return len(statements)


def test_a_sync_costs_the_same_however_many_events_it_holds(
    wide, auth_headers, sync, count_queries
):
    def batch(size: int) -> list[dict]:
        """Events over the same four lessons, whatever the size."""
        return [
            event(f"lesson-0-{n % 4}", "position" if n % 2 else "started", n, "wide", position=n)
            for n in range(size)
        ]

    few, many = auth_headers(), auth_headers()
    sync(auth_headers(), *batch(1))  # reads which version is published into the cache
    small = _statements(count_queries, lambda: sync(few, *batch(4)))
    large = _statements(count_queries, lambda: sync(many, *batch(48)))

    assert small == large


def test_a_sync_pays_many_completed_lessons_in_the_same_statements_as_two(
    wide, auth_headers, sync, client, count_queries
):
    """Points, totals, activity days, challenges and badges of a batch are written once."""
    two, six = auth_headers(), auth_headers()
    for learner in (two, six):
        sync(learner, *(event(f"lesson-0-{n}", "started", course="wide") for n in range(8)))

    def complete(learner, count: int):
        return lambda: sync(
            learner, *(event(f"lesson-0-{n}", minutes=n, course="wide") for n in range(count))
        )

    assert _statements(count_queries, complete(two, 2)) == _statements(
        count_queries, complete(six, 6)
    )
    points = client.get("/api/v1/me/points", headers=six).json
    assert points["total"] == 60


def test_my_progress_costs_the_same_however_many_courses_i_follow(
    app, course, wide, auth_headers, sync, client, count_queries
):
    one, two = auth_headers(), auth_headers()
    sync(one, event("lesson-0-0"))
    sync(two, event("lesson-0-0"), event("lesson-0-1", course="wide"))

    def mine(headers):
        def get():
            response = client.get("/api/v1/me/progress", headers=headers)
            assert response.status_code == 200, response.json

        return get

    assert _statements(count_queries, mine(one)) == _statements(count_queries, mine(two))
    assert len(client.get("/api/v1/me/progress", headers=two).json["items"]) == 2
