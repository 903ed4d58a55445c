"""Signing up: a seat while there is one, else the waitlist, which moves up when someone
leaves; late joiners are told the next meeting."""

import sqlalchemy as sa

from learning.accounts.models import User
from learning.extensions import db
from tests.circles.conftest import meeting_time


def test_joining_takes_a_seat_and_asking_again_answers_the_same(client, circle, person, details):
    mia = person("Mia")

    first = client.post(f"/api/v1/circles/{circle['id']}/signup", headers=mia.headers)
    again = client.post(f"/api/v1/circles/{circle['id']}/signup", headers=mia.headers)

    assert first.status_code == again.status_code == 200
    assert first.json == again.json
    assert first.json["status"] == "joined"
    assert first.json["waitlist_position"] is None
    assert first.json["next_meeting"]["number"] == 1
    seen = details(circle["id"], mia)
    assert (seen["my_status"], seen["members_count"], seen["seats_left"]) == ("joined", 1, 5)


def test_a_full_circle_puts_newcomers_on_its_waitlist_in_order(published, person, join, details):
    small = published(capacity=2)
    for name in ("Ana", "Bo"):
        join(small["id"], person(name))
    carla, dirk = person("Carla"), person("Dirk")

    assert join(small["id"], carla) == {
        "status": "waitlisted",
        "waitlist_position": 1,
        "next_meeting": None,
    }
    assert join(small["id"], dirk)["waitlist_position"] == 2
    seen = details(small["id"], dirk)
    assert (seen["seats_left"], seen["waitlist_count"]) == (0, 2)
    assert (seen["my_status"], seen["waitlist_position"]) == ("waitlisted", 2)


def test_leaving_gives_the_seat_to_the_first_on_the_waitlist(
    client, published, person, join, details
):
    small = published(capacity=2)
    ana, bo, carla, dirk = (person(name) for name in ("Ana", "Bo", "Carla", "Dirk"))
    for who in (ana, bo, carla, dirk):
        join(small["id"], who)

    response = client.delete(f"/api/v1/circles/{small['id']}/signup", headers=ana.headers)

    assert response.status_code == 204
    assert join(small["id"], carla)["status"] == "joined"
    assert join(small["id"], dirk)["waitlist_position"] == 1
    assert details(small["id"], ana)["my_status"] is None
    assert details(small["id"], bo)["members_count"] == 2


def test_leaving_the_waitlist_moves_those_behind_up(client, published, person, join):
    small = published(capacity=2)
    ana, bo, carla, dirk = (person(name) for name in ("Ana", "Bo", "Carla", "Dirk"))
    for who in (ana, bo, carla, dirk):
        join(small["id"], who)

    client.delete(f"/api/v1/circles/{small['id']}/signup", headers=carla.headers)

    assert join(small["id"], dirk)["waitlist_position"] == 1


def test_leaving_twice_is_harmless(client, circle, person, join):
    mia = person("Mia")
    join(circle["id"], mia)
    url = f"/api/v1/circles/{circle['id']}/signup"

    assert client.delete(url, headers=mia.headers).status_code == 204
    assert client.delete(url, headers=mia.headers).status_code == 204


def test_someone_who_joins_after_the_start_is_told_the_next_meeting_not_the_first(
    circle, person, join, details, clock
):
    clock.move_to(meeting_time(2) + (meeting_time(3) - meeting_time(2)) / 2)
    late = person("Laura")

    answer = join(circle["id"], late)

    assert answer["status"] == "joined"
    assert answer["next_meeting"] == {
        "number": 3,
        "starts_at": "2026-03-31T19:00:00+02:00",
        "ends_at": "2026-03-31T20:30:00+02:00",
    }
    seen = details(circle["id"], late)
    assert seen["status"] == "in_progress"
    assert seen["next_meeting"]["number"] == 3


def test_joining_after_the_last_meeting_is_refused(client, circle, person, clock):
    clock.move_to(meeting_time(4).replace(hour=21))
    late = person("Laura")

    response = client.post(f"/api/v1/circles/{circle['id']}/signup", headers=late.headers)

    assert response.status_code == 409
    assert "last meeting" in response.json["detail"]


def test_a_finished_circle_keeps_its_members(client, circle, person, join, clock):
    mia = person("Mia")
    join(circle["id"], mia)
    clock.move_to(meeting_time(4).replace(hour=21))

    response = client.delete(f"/api/v1/circles/{circle['id']}/signup", headers=mia.headers)

    assert response.status_code == 409


def test_facilitators_do_not_take_a_seat(client, circle, facilitator):
    response = client.post(f"/api/v1/circles/{circle['id']}/signup", headers=facilitator.headers)

    assert response.status_code == 409


def test_a_draft_cannot_be_joined(client, propose, person):
    draft = propose()

    response = client.post(f"/api/v1/circles/{draft['id']}/signup", headers=person().headers)

    assert response.status_code == 404


def test_raising_the_capacity_seats_the_waitlist(client, published, facilitator, person, join):
    small = published(capacity=2)
    people = [person(name) for name in ("Ana", "Bo", "Carla", "Dirk")]
    for who in people:
        join(small["id"], who)

    response = client.patch(
        f"/api/v1/circles/{small['id']}", json={"capacity": 3}, headers=facilitator.headers
    )

    assert response.status_code == 200
    assert (response.json["members_count"], response.json["waitlist_count"]) == (3, 1)
    assert join(small["id"], people[2])["status"] == "joined"


def test_the_capacity_never_drops_below_the_seats_taken(
    client, published, facilitator, person, join
):
    small = published(capacity=3)
    for name in ("Ana", "Bo", "Carla"):
        join(small["id"], person(name))

    response = client.patch(
        f"/api/v1/circles/{small['id']}", json={"capacity": 2}, headers=facilitator.headers
    )

    assert response.status_code == 409
    assert "capacity" in response.json["errors"]


def test_a_seat_freed_by_an_erased_account_goes_to_the_waitlist_before_newcomers(
    app, published, person, join
):
    small = published(capacity=2)
    erased, waiting, newcomer = person("Eric"), person("Wout"), person("Nina")
    join(small["id"], erased)
    join(small["id"], person("Ana"))
    join(small["id"], waiting)
    with app.app_context():
        db.session.execute(sa.delete(User).where(User.id == erased.id))
        db.session.commit()

    assert join(small["id"], newcomer)["status"] == "waitlisted"
    assert join(small["id"], waiting)["status"] == "joined"
