"""Finding circles: filters, distance, pagination, and what outsiders and members see."""

import pytest

from tests.circles.conftest import IXELLES, SCHAERBEEK, meeting_time
from tests.factories import import_folder, write_package


@pytest.fixture
def three_circles(app, tmp_path, published, person):
    """Ixelles in French on Tuesdays, Schaerbeek in Dutch on Thursdays about another course,
    and an English one online on Mondays."""
    import_folder(app, write_package(tmp_path / "other", slug="other-course", lessons=1))
    ixelles = published()
    schaerbeek = published(
        by=person("Saar", locale="nl"),
        course="other-course",
        title="Klimaat in de buurt",
        language="nl",
        commune="schaerbeek",
        venue={"name": "Buurthuis", "address": "Rue Josaphat 1", **SCHAERBEEK},
        first_meeting="2026-03-19T18:30:00+01:00",
    )
    online = published(
        by=person("Owen"),
        title="Climate online",
        language="en",
        commune="online",
        venue=None,
        online_url="https://meet.example.org/climate",
        first_meeting="2026-04-06T20:00:00+02:00",
        meetings=2,
    )
    return ixelles, schaerbeek, online


def _ids(client, **query) -> list[int]:
    response = client.get("/api/v1/circles", query_string=query)
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def test_circles_are_listed_soonest_first(client, three_circles):
    ixelles, schaerbeek, online = three_circles

    assert _ids(client) == [ixelles["id"], schaerbeek["id"], online["id"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"commune": "schaerbeek"}, [1]),
        ({"commune": "online"}, [2]),
        ({"language": "fr"}, [0]),
        ({"course": "other-course"}, [1]),
        ({"weekday": "thursday"}, [1]),
        ({"weekday": "monday"}, [2]),
        ({"language": "en", "commune": "ixelles"}, []),
    ],
)
def test_circles_are_filtered_by_commune_language_course_and_weekday(
    client, three_circles, query, expected
):
    assert _ids(client, **query) == [three_circles[i]["id"] for i in expected]


def test_circles_are_filtered_by_status(client, three_circles, clock):
    ixelles, schaerbeek, online = three_circles
    clock.move_to(meeting_time(4).replace(hour=21))

    assert _ids(client, status="finished") == [ixelles["id"]]
    assert _ids(client, status="in_progress") == [schaerbeek["id"], online["id"]]
    assert _ids(client, status="upcoming") == []


def test_circles_with_open_seats(client, three_circles, person, join):
    ixelles, schaerbeek, online = three_circles
    for number in range(6):
        join(ixelles["id"], person(f"Member {number}"))

    assert _ids(client, open_seats="true") == [schaerbeek["id"], online["id"]]
    assert _ids(client, open_seats="false") == [ixelles["id"]]


def test_circles_near_a_point_come_nearest_first_with_their_distance(client, three_circles):
    ixelles, schaerbeek, _ = three_circles
    near_flagey = {"lat": 50.8270, "lng": 4.3720}

    close = client.get("/api/v1/circles", query_string={**near_flagey, "radius_km": 2}).json
    wider = client.get("/api/v1/circles", query_string={**near_flagey, "radius_km": 10}).json

    assert [item["id"] for item in close["items"]] == [ixelles["id"]]
    assert [item["id"] for item in wider["items"]] == [ixelles["id"], schaerbeek["id"]]
    assert wider["items"][0]["distance_km"] == pytest.approx(0.1, abs=0.1)
    assert wider["items"][1]["distance_km"] == pytest.approx(4.5, abs=0.2)


def test_a_point_needs_both_coordinates(client, three_circles):
    response = client.get("/api/v1/circles", query_string={"lat": IXELLES["lat"]})

    assert response.status_code == 422


def test_the_list_is_paginated(client, three_circles):
    page = client.get("/api/v1/circles", query_string={"per_page": 2, "page": 2}).json

    assert (page["total"], page["page"], page["per_page"]) == (3, 2, 2)
    assert [item["id"] for item in page["items"]] == [three_circles[2]["id"]]


def test_outsiders_see_counts_and_members_see_names(client, circle, person, join, details):
    mia, noor = person("Mia"), person("Noor")
    join(circle["id"], mia)
    join(circle["id"], noor)

    outside = details(circle["id"], person("Olivier"))
    anonymous = details(circle["id"])
    inside = details(circle["id"], mia)
    listed = client.get("/api/v1/circles").json["items"][0]

    assert outside["members"] is anonymous["members"] is None
    assert outside["members_count"] == listed["members_count"] == 2
    assert "members" not in listed
    assert [m["display_name"] for m in inside["members"]] == ["Mia", "Noor"]
    assert set(inside["members"][0]) == {"id", "display_name"}
    assert inside["facilitators"] == outside["facilitators"]


def test_my_circles_lists_what_i_facilitate_join_or_wait_for(
    client, published, propose, facilitator, person, join
):
    mine = published()
    draft = propose(title="Brouillon")
    full = published(by=person("Saar"), capacity=2, first_meeting="2026-03-18T19:00:00+01:00")
    learner = person("Mia")
    join(full["id"], person("Ana"))
    join(full["id"], person("Bo"))
    join(full["id"], learner)
    join(mine["id"], learner)

    mine_as_learner = client.get("/api/v1/me/circles", headers=learner.headers).json
    mine_as_facilitator = client.get("/api/v1/me/circles", headers=facilitator.headers).json

    assert [(c["id"], c["my_status"]) for c in mine_as_learner["items"]] == [
        (mine["id"], "joined"),
        (full["id"], "waitlisted"),
    ]
    assert mine_as_learner["items"][1]["waitlist_position"] == 1
    assert {c["id"] for c in mine_as_facilitator["items"]} == {mine["id"], draft["id"]}
    assert {c["status"] for c in mine_as_facilitator["items"]} == {"upcoming", "draft"}


def test_each_circle_names_its_course_in_the_circles_language(client, three_circles):
    ixelles, _schaerbeek, online = three_circles

    items = {item["id"]: item for item in client.get("/api/v1/circles").json["items"]}

    assert items[ixelles["id"]]["course"]["title"] == "Generated course (fr)"
    assert items[online["id"]]["course"]["title"] == "Generated course (en)"
