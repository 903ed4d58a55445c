"""Proposing a circle: a draft its facilitators shape, then publish; co-facilitators."""

import uuid

import pytest

from tests.circles.conftest import proposal
from tests.factories import import_folder, write_package


def test_a_proposed_circle_is_a_draft_that_only_its_facilitators_see(
    client, propose, facilitator, person
):
    draft = propose()

    assert draft["status"] == "draft"
    assert draft["my_status"] == "facilitator"
    assert draft["facilitators"] == [{"id": facilitator.id, "display_name": "Fatima"}]
    assert client.get(f"/api/v1/circles/{draft['id']}").status_code == 404
    outsider = person("Olivier")
    assert client.get(f"/api/v1/circles/{draft['id']}", headers=outsider.headers).status_code == 404
    assert client.get("/api/v1/circles").json["total"] == 0


def test_publishing_makes_a_circle_discoverable_and_publishing_again_changes_nothing(
    client, propose, facilitator
):
    draft = propose()

    first = client.post(f"/api/v1/circles/{draft['id']}/publish", headers=facilitator.headers)
    again = client.post(f"/api/v1/circles/{draft['id']}/publish", headers=facilitator.headers)

    assert first.status_code == again.status_code == 200
    assert first.json["status"] == "upcoming"
    assert again.json["published_at"] == first.json["published_at"]
    listed = client.get("/api/v1/circles").json
    assert [item["id"] for item in listed["items"]] == [draft["id"]]


def test_the_proposal_names_its_course_place_and_weekly_slot(propose):
    draft = propose()

    assert draft["course"] == {"slug": "course", "title": "Generated course (fr)"}
    assert draft["modules"] == []
    assert draft["commune"] == "ixelles"
    assert draft["venue"]["name"] == "Bibliothèque d'Ixelles"
    assert draft["online"] is False
    assert draft["capacity"] == draft["seats_left"] == 6
    assert (draft["weekday"], draft["time"], draft["timezone"]) == (
        "tuesday",
        "19:00",
        "Europe/Brussels",
    )
    assert draft["first_meeting"] == "2026-03-17T19:00:00+01:00"
    assert draft["meetings_count"] == 4
    assert [m["starts_at"] for m in draft["meetings"]] == [
        "2026-03-17T19:00:00+01:00",
        "2026-03-24T19:00:00+01:00",
        "2026-03-31T19:00:00+02:00",
        "2026-04-07T19:00:00+02:00",
    ]
    assert draft["meetings"][0]["ends_at"] == "2026-03-17T20:30:00+01:00"


def test_a_circle_can_cover_some_modules_of_its_course(propose):
    draft = propose(modules=["module-1"])

    assert draft["modules"] == ["module-1"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"commune": "paris"}, "commune"),
        ({"commune": "online", "venue": None}, "online_url"),
        ({"commune": "online", "online_url": "https://meet.example.org/c"}, "venue"),
        ({"venue": None}, "venue"),
        ({"venue": {"name": "Library", "address": "Rue 1", "lat": 50.8}}, "venue"),
        ({"first_meeting": "2026-03-01T19:00:00+01:00"}, "first_meeting"),
        ({"first_meeting": "2026-03-17T19:00:00"}, "first_meeting"),
        ({"course": "no-such-course"}, "course"),
        ({"modules": ["module-9"]}, "modules"),
        ({"capacity": 1}, "capacity"),
        ({"meetings": 0}, "meetings"),
        ({"language": "de"}, "language"),
        ({"timezone": "Europe/Paris"}, "timezone"),
        ({"online_url": "ftp://example.org"}, "online_url"),
    ],
)
def test_a_proposal_is_checked_field_by_field(client, course, facilitator, overrides, field):
    response = client.post(
        "/api/v1/circles", json=proposal(**overrides), headers=facilitator.headers
    )

    assert response.status_code == 422, response.json
    assert response.content_type == "application/problem+json"
    assert field in response.json["errors"]


def test_a_proposal_sent_again_with_its_id_makes_no_second_circle(client, course, facilitator):
    body = proposal(id=str(uuid.uuid4()))

    first = client.post("/api/v1/circles", json=body, headers=facilitator.headers)
    again = client.post("/api/v1/circles", json=body, headers=facilitator.headers)

    assert first.status_code == again.status_code == 201
    assert again.json["id"] == first.json["id"]
    mine = client.get("/api/v1/me/circles", headers=facilitator.headers).json
    assert mine["total"] == 1


def test_a_draft_that_changes_course_starts_with_the_whole_new_course(
    app, tmp_path, client, propose, facilitator
):
    import_folder(app, write_package(tmp_path / "other", slug="other-course", lessons=1))
    draft = propose(modules=["module-1"])

    response = client.patch(
        f"/api/v1/circles/{draft['id']}",
        json={"course": "other-course"},
        headers=facilitator.headers,
    )

    assert response.status_code == 200, response.json
    assert response.json["course"]["slug"] == "other-course"
    assert response.json["modules"] == []


def test_proposing_needs_a_signed_in_learner(client, course):
    assert client.post("/api/v1/circles", json=proposal()).status_code == 401


def test_an_online_circle_shows_its_link_to_members_only(
    client, published, facilitator, person, join, details
):
    online = published(commune="online", venue=None, online_url="https://meet.example.org/c")
    member, outsider = person("Mia"), person("Olivier")
    join(online["id"], member)

    assert online["online"] is True
    assert details(online["id"], facilitator)["online_url"] == "https://meet.example.org/c"
    assert details(online["id"], member)["online_url"] == "https://meet.example.org/c"
    assert details(online["id"], outsider)["online_url"] is None
    assert details(online["id"])["online_url"] is None


def test_a_draft_changes_freely_and_its_meetings_follow(client, propose, facilitator):
    draft = propose()

    response = client.patch(
        f"/api/v1/circles/{draft['id']}",
        json={
            "title": "Climat le jeudi",
            "first_meeting": "2026-03-19T18:30:00+01:00",
            "meetings": 2,
            "commune": "online",
            "venue": None,
            "online_url": "https://meet.example.org/c",
        },
        headers=facilitator.headers,
    )

    assert response.status_code == 200, response.json
    changed = response.json
    assert changed["title"] == "Climat le jeudi"
    assert (changed["weekday"], changed["time"]) == ("thursday", "18:30")
    assert [m["starts_at"] for m in changed["meetings"]] == [
        "2026-03-19T18:30:00+01:00",
        "2026-03-26T18:30:00+01:00",
    ]
    assert changed["venue"] is None


def test_a_patch_is_checked_against_the_whole_circle(client, propose, facilitator):
    draft = propose()

    response = client.patch(
        f"/api/v1/circles/{draft['id']}", json={"commune": "online"}, headers=facilitator.headers
    )

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"online_url", "venue"}


def test_a_published_circle_keeps_its_course_place_and_schedule(client, circle, facilitator):
    moved = client.patch(
        f"/api/v1/circles/{circle['id']}",
        json={"commune": "uccle", "meetings": 6},
        headers=facilitator.headers,
    )
    renamed = client.patch(
        f"/api/v1/circles/{circle['id']}",
        json={"title": "Climat et bibliothèque", "description": "Bienvenue à tous"},
        headers=facilitator.headers,
    )

    assert moved.status_code == 409
    assert "commune" in moved.json["detail"]
    assert renamed.status_code == 200
    assert renamed.json["description"] == "Bienvenue à tous"


def test_only_facilitators_change_or_publish_a_circle(client, circle, propose, person):
    outsider = person("Olivier")
    draft = propose()

    patched = client.patch(
        f"/api/v1/circles/{circle['id']}", json={"title": "Mine"}, headers=outsider.headers
    )
    published = client.post(f"/api/v1/circles/{draft['id']}/publish", headers=outsider.headers)

    assert patched.status_code == 403
    assert published.status_code == 404


def test_publishing_needs_a_first_meeting_still_to_come(client, propose, facilitator, clock):
    draft = propose()
    clock.move_to("2026-03-18T09:00:00+01:00")

    response = client.post(f"/api/v1/circles/{draft['id']}/publish", headers=facilitator.headers)

    assert response.status_code == 409


def test_co_facilitators_lead_the_circle_with_its_proposer(
    client, propose, facilitator, person, details
):
    draft = propose()
    colleague = person("Chloé")

    added = client.put(
        f"/api/v1/circles/{draft['id']}/facilitators/{colleague.id}", headers=facilitator.headers
    )
    published = client.post(f"/api/v1/circles/{draft['id']}/publish", headers=colleague.headers)

    assert added.status_code == 200
    assert [f["display_name"] for f in added.json["facilitators"]] == ["Fatima", "Chloé"]
    assert published.status_code == 200
    assert details(draft["id"], colleague)["my_status"] == "facilitator"


def test_a_circle_keeps_at_least_one_facilitator(client, circle, facilitator, person):
    colleague = person("Chloé")
    url = f"/api/v1/circles/{circle['id']}/facilitators"
    client.put(f"{url}/{colleague.id}", headers=facilitator.headers)

    left = client.delete(f"{url}/{facilitator.id}", headers=facilitator.headers)
    last = client.delete(f"{url}/{colleague.id}", headers=colleague.headers)

    assert left.status_code == 200
    assert left.json["facilitators"] == [{"id": colleague.id, "display_name": "Chloé"}]
    assert last.status_code == 409


def test_a_member_who_becomes_a_facilitator_frees_their_seat(
    client, published, facilitator, person, join, details
):
    small = published(capacity=2)
    member, waiting_one, waiting_two = person("Mia"), person("Wout"), person("Wanda")
    join(small["id"], member)
    join(small["id"], waiting_one)
    join(small["id"], waiting_two)

    client.put(
        f"/api/v1/circles/{small['id']}/facilitators/{member.id}", headers=facilitator.headers
    )

    now = details(small["id"], facilitator)
    assert {m["display_name"] for m in now["members"]} == {"Wout", "Wanda"}
    assert now["waitlist_count"] == 0
    assert details(small["id"], member)["my_status"] == "facilitator"


def test_adding_an_unknown_person_as_facilitator_is_not_found(client, circle, facilitator):
    response = client.put(
        f"/api/v1/circles/{circle['id']}/facilitators/999999", headers=facilitator.headers
    )

    assert response.status_code == 404
