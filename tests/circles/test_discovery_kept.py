"""Discovery pages kept per process: what may lag (seats, new circles in other processes), what
never does (my status, my place in line, the online link), and the moments a kept page is
dropped (a circle on it starting, ending or moving on to its next meeting)."""

from datetime import timedelta

import pytest

from tests.circles.conftest import FIRST_MEETING, Person, meeting_time

PAGE = "/api/v1/circles?commune=ixelles"


@pytest.fixture
def app(app):
    app.config["CIRCLE_LIST_CACHE_SECONDS"] = 60
    return app


@pytest.fixture
def other_process(app_factory):
    """A second app on the same database: another worker, with caches of its own."""
    other = app_factory(CIRCLE_LIST_CACHE_SECONDS=60)
    return other.test_client()


def listed(client, who: Person | None = None, page: str = PAGE) -> list[dict]:
    response = client.get(page, headers=who.headers if who else {})
    assert response.status_code == 200, response.json
    return response.json["items"]


def test_seats_taken_elsewhere_lag_but_my_own_status_does_not(
    client, other_process, circle, person, clock
):
    reader = person("Reader")
    assert listed(client, reader)[0]["members_count"] == 0

    response = other_process.post(f"/api/v1/circles/{circle['id']}/signup", headers=reader.headers)
    assert response.status_code == 200, response.json
    mine = listed(client, reader)[0]

    # The seat count is this process's kept page; my status and the link are read for me.
    assert mine["members_count"] == 0
    assert mine["my_status"] == "joined"
    assert listed(client)[0]["my_status"] is None
    clock.shift(timedelta(seconds=61))
    assert listed(client, reader)[0]["members_count"] == 1


def test_the_process_that_takes_a_seat_or_publishes_shows_it_at_once(
    client, circle, published, person, join
):
    assert [item["members_count"] for item in listed(client)] == [0]
    join(circle["id"], person("Member"))
    assert [item["members_count"] for item in listed(client)] == [1]
    published(title="Un deuxième cercle")
    assert len(listed(client)) == 2


def test_the_online_link_shows_only_to_members(client, published, person, join):
    online = published(commune="online", venue=None, online_url="https://meet.example.org/c")
    member, stranger = person("Member"), person("Stranger")
    join(online["id"], member)
    page = "/api/v1/circles?commune=online"

    assert listed(client, member, page)[0]["online_url"] == "https://meet.example.org/c"
    assert listed(client, stranger, page)[0]["online_url"] is None
    assert listed(client, None, page)[0]["online_url"] is None


def test_a_kept_page_is_dropped_when_a_circle_on_it_starts_and_moves_on(client, circle, clock):
    clock.move_to(FIRST_MEETING - timedelta(seconds=30))
    before = listed(client)[0]
    clock.move_to(FIRST_MEETING + timedelta(seconds=1))
    during = listed(client)[0]
    clock.move_to(meeting_time(1) + timedelta(minutes=90, seconds=1))
    after = listed(client)[0]

    assert (before["status"], before["next_meeting"]["number"]) == ("upcoming", 1)
    assert (during["status"], during["next_meeting"]["number"]) == ("in_progress", 1)
    assert after["next_meeting"]["number"] == 2


def test_a_kept_page_costs_me_only_my_own_places(client, circle, person, count_queries):
    reader = person("Reader")
    with count_queries() as first:
        listed(client, reader)
    with count_queries() as kept:
        listed(client, reader)
    with count_queries() as anonymous:
        listed(client)

    # The signed-in user, then my places; nothing at all for someone not signed in.
    assert len(kept) == 2, kept
    assert len(first) > len(kept)
    assert anonymous == []
