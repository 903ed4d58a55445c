"""Meetings: moving one, attendance, feedback, reflections, and completing a circle."""

import uuid

import pytest

from tests.circles.conftest import meeting_time


@pytest.fixture
def members(circle, person, join):
    """Mia and Noor hold a seat in the default circle."""
    mia, noor = person("Mia"), person("Noor")
    join(circle["id"], mia)
    join(circle["id"], noor)
    return mia, noor


def _move(client, circle, number, who, **body):
    return client.patch(
        f"/api/v1/circles/{circle['id']}/meetings/{number}", json=body, headers=who.headers
    )


def test_a_meeting_moves_and_the_others_stay(client, circle, facilitator, details):
    response = _move(client, circle, 2, facilitator, starts_at="2026-03-26T18:00:00+01:00")

    assert response.status_code == 200, response.json
    assert response.json["starts_at"] == "2026-03-26T18:00:00+01:00"
    assert response.json["ends_at"] == "2026-03-26T19:30:00+01:00"
    assert response.json["sequence"] == 1
    meetings = details(circle["id"])["meetings"]
    assert [m["starts_at"] for m in meetings] == [
        "2026-03-17T19:00:00+01:00",
        "2026-03-26T18:00:00+01:00",
        "2026-03-31T19:00:00+02:00",
        "2026-04-07T19:00:00+02:00",
    ]
    assert [m["sequence"] for m in meetings] == [0, 1, 0, 0]


def test_moving_a_meeting_to_the_same_time_changes_nothing(client, circle, facilitator):
    response = _move(client, circle, 2, facilitator, starts_at="2026-03-24T19:00:00+01:00")

    assert response.json["sequence"] == 0


def test_a_meeting_can_also_get_longer(client, circle, facilitator):
    response = _move(
        client, circle, 1, facilitator, starts_at="2026-03-17T18:30:00+01:00", duration_minutes=120
    )

    assert response.json["ends_at"] == "2026-03-17T20:30:00+01:00"
    assert response.json["duration_minutes"] == 120


@pytest.mark.parametrize(
    "starts_at",
    [
        "2026-03-17T20:00:00+01:00",  # before meeting 1 ends
        "2026-03-31T18:00:00+02:00",  # would end after meeting 3 starts
        "2026-03-01T19:00:00+01:00",  # in the past
    ],
)
def test_a_meeting_stays_between_its_neighbours_and_in_the_future(
    client, circle, facilitator, starts_at
):
    response = _move(client, circle, 2, facilitator, starts_at=starts_at)

    assert response.status_code == 422
    assert "starts_at" in response.json["errors"]


def test_a_meeting_that_has_started_no_longer_moves(client, circle, facilitator, clock):
    clock.move_to(meeting_time(1))

    response = _move(client, circle, 1, facilitator, starts_at="2026-03-18T19:00:00+01:00")

    assert response.status_code == 409


def test_only_facilitators_move_meetings(client, circle, members):
    response = _move(client, circle, 2, members[0], starts_at="2026-03-26T19:00:00+01:00")

    assert response.status_code == 403


def test_an_unknown_meeting_is_not_found(client, circle, facilitator):
    response = _move(client, circle, 9, facilitator, starts_at="2026-05-26T19:00:00+02:00")

    assert response.status_code == 404


def test_the_facilitator_records_who_came(client, circle, members, attendance, clock, fired):
    mia, noor = members
    clock.move_to(meeting_time(1))

    response = attendance(circle["id"], 1, mia)

    assert response.status_code == 200, response.json
    assert response.json["members"] == [
        {"id": mia.id, "display_name": "Mia", "present": True},
        {"id": noor.id, "display_name": "Noor", "present": False},
    ]
    assert [(name, kwargs["user_id"], kwargs["meeting"]) for name, kwargs in fired] == [
        ("circle_meeting_attended", mia.id, 1)
    ]
    assert fired[0][1]["course"] == "course"
    assert fired[0][1]["circle_id"] == circle["id"]


def test_attendance_fires_once_per_member_and_meeting_however_often_it_is_corrected(
    circle, members, attendance, clock, fired
):
    mia, noor = members
    clock.move_to(meeting_time(1))

    attendance(circle["id"], 1, mia)
    attendance(circle["id"], 1, noor)
    attendance(circle["id"], 1, mia, noor)

    attended = [kwargs["user_id"] for name, kwargs in fired if name == "circle_meeting_attended"]
    assert attended == [mia.id, noor.id]


def test_members_see_whether_they_came(client, circle, members, attendance, clock):
    mia, noor = members
    clock.move_to(meeting_time(1))
    attendance(circle["id"], 1, mia)

    mine = client.get(f"/api/v1/circles/{circle['id']}/meetings", headers=noor.headers).json
    theirs = client.get(f"/api/v1/circles/{circle['id']}/meetings").json

    assert [m["attended"] for m in mine["items"]] == [False, None, None, None]
    assert [m["status"] for m in mine["items"]] == [
        "in_progress",
        "upcoming",
        "upcoming",
        "upcoming",
    ]
    assert theirs["items"][0]["attended"] is None
    assert theirs["items"][0]["present"] is None


def test_attendance_opens_when_the_meeting_starts(circle, members, attendance):
    response = attendance(circle["id"], 1, members[0])

    assert response.status_code == 409


def test_only_members_can_be_recorded(circle, members, person, attendance, clock):
    clock.move_to(meeting_time(1))

    response = attendance(circle["id"], 1, members[0], person("Olivier"))

    assert response.status_code == 422
    assert "present" in response.json["errors"]


def test_only_facilitators_record_attendance(client, circle, members, attendance, clock):
    clock.move_to(meeting_time(1))

    response = attendance(circle["id"], 1, members[0], by=members[1])

    assert response.status_code == 403


def _feedback(client, circle, number, who, **body):
    return client.post(
        f"/api/v1/circles/{circle['id']}/meetings/{number}/feedback",
        json={"rating": 4, **body},
        headers=who.headers,
    )


def test_a_participant_rates_a_meeting_they_attended_once(
    client, circle, members, attendance, clock, fired
):
    mia, _ = members
    clock.move_to(meeting_time(1).replace(hour=21))
    attendance(circle["id"], 1, mia)

    first = _feedback(client, circle, 1, mia, rating=5, comment="Inspirant")
    second = _feedback(client, circle, 1, mia, rating=2)

    assert first.status_code == 201, first.json
    assert first.json["rating"] == 5
    assert first.json["comment"] == "Inspirant"
    assert second.status_code == 409
    given = [kwargs for name, kwargs in fired if name == "circle_feedback_given"]
    assert [(kw["user_id"], kw["meeting"], kw["rating"]) for kw in given] == [(mia.id, 1, 5)]


def test_resending_the_same_feedback_is_harmless(client, circle, members, attendance, clock):
    mia, _ = members
    clock.move_to(meeting_time(1).replace(hour=21))
    attendance(circle["id"], 1, mia)
    feedback_id = str(uuid.uuid4())

    first = _feedback(client, circle, 1, mia, id=feedback_id, rating=5)
    again = _feedback(client, circle, 1, mia, id=feedback_id, rating=5)

    assert first.status_code == again.status_code == 201
    assert again.json == first.json


def test_only_those_who_came_give_feedback(client, circle, members, person, attendance, clock):
    mia, noor = members
    clock.move_to(meeting_time(1).replace(hour=21))
    too_early = _feedback(client, circle, 1, mia)
    attendance(circle["id"], 1, mia)

    assert too_early.status_code == 409
    assert _feedback(client, circle, 1, noor).status_code == 403
    assert _feedback(client, circle, 1, person("Olivier")).status_code == 403


def test_a_rating_is_between_one_and_five(client, circle, members, attendance, clock):
    mia, _ = members
    clock.move_to(meeting_time(1).replace(hour=21))
    attendance(circle["id"], 1, mia)

    response = _feedback(client, circle, 1, mia, rating=6)

    assert response.status_code == 422
    assert "rating" in response.json["errors"]


def test_members_see_their_own_feedback(client, circle, members, attendance, clock):
    mia, _ = members
    clock.move_to(meeting_time(1).replace(hour=21))
    attendance(circle["id"], 1, mia)
    _feedback(client, circle, 1, mia, rating=3, comment="Trop court")

    meetings = client.get(f"/api/v1/circles/{circle['id']}/meetings", headers=mia.headers).json

    assert meetings["items"][0]["my_feedback"] == {"rating": 3, "comment": "Trop court"}


def test_the_facilitator_writes_a_reflection_instead_of_a_rating(
    client, circle, facilitator, members, clock
):
    clock.move_to(meeting_time(1).replace(hour=21))
    url = f"/api/v1/circles/{circle['id']}/meetings/1"

    rated = client.post(f"{url}/feedback", json={"rating": 5}, headers=facilitator.headers)
    reflected = client.put(
        f"{url}/reflection",
        json={"text": "Bon début, trop de théorie."},
        headers=facilitator.headers,
    )
    seen_by_member = client.get(
        f"/api/v1/circles/{circle['id']}/meetings", headers=members[0].headers
    ).json

    assert rated.status_code == 403
    assert reflected.status_code == 200
    assert reflected.json["reflection"] == "Bon début, trop de théorie."
    assert seen_by_member["items"][0]["reflection"] is None


def test_the_last_attendance_completes_the_circle_for_facilitators_and_regular_members(
    circle, facilitator, members, attendance, clock, fired
):
    mia, noor = members
    for number in (1, 2, 3):
        clock.move_to(meeting_time(number))
        attendance(circle["id"], number, mia, *([noor] if number == 1 else []))
    assert "circle_completed" not in [name for name, _ in fired]

    clock.move_to(meeting_time(4))
    attendance(circle["id"], 4, mia, noor)
    attendance(circle["id"], 4, mia, noor)

    completed = [kwargs for name, kwargs in fired if name == "circle_completed"]
    assert [(kw["user_id"], kw["role"]) for kw in completed] == [
        (facilitator.id, "facilitator"),
        (mia.id, "member"),
    ]


def test_a_correction_after_the_end_can_complete_a_member_later(
    circle, members, attendance, clock, fired
):
    mia, noor = members
    for number in (1, 2, 3, 4):
        clock.move_to(meeting_time(number))
        attendance(circle["id"], number, mia)
    assert noor.id not in [kw["user_id"] for name, kw in fired if name == "circle_completed"]

    for number in (2, 3, 4):
        attendance(circle["id"], number, mia, noor)

    completed = [kw["user_id"] for name, kw in fired if name == "circle_completed"]
    assert completed.count(noor.id) == 1
