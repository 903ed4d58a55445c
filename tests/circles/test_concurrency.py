"""The capacity holds when many people take the last seats at the same moment (PostgreSQL)."""

import threading

import pytest

pytestmark = pytest.mark.postgresql_only


def test_concurrent_signups_fill_the_capacity_and_no_more(app, published, person, join, details):
    circle = published(capacity=3)
    join(circle["id"], person("Early"))
    racers = [person(f"Racer {n}") for n in range(8)]
    barrier = threading.Barrier(len(racers))
    answers = []

    def sign_up(who):
        client = app.test_client()
        barrier.wait()
        response = client.post(f"/api/v1/circles/{circle['id']}/signup", headers=who.headers)
        answers.append((response.status_code, response.json["status"]))

    threads = [threading.Thread(target=sign_up, args=(who,)) for who in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answers) == [(200, "joined")] * 2 + [(200, "waitlisted")] * 6
    seen = details(circle["id"])
    assert (seen["members_count"], seen["waitlist_count"], seen["seats_left"]) == (3, 6, 0)
    positions = sorted(join(circle["id"], who)["waitlist_position"] or 0 for who in racers)
    assert positions == [0, 0, 1, 2, 3, 4, 5, 6]


def test_concurrent_leaving_and_joining_never_overfill(app, published, person, join, details):
    circle = published(capacity=2)
    seated = [person("Ana"), person("Bo")]
    for who in seated:
        join(circle["id"], who)
    waiting = [person(f"Waiting {n}") for n in range(3)]
    for who in waiting:
        join(circle["id"], who)
    newcomers = [person(f"New {n}") for n in range(3)]
    barrier = threading.Barrier(len(seated) + len(newcomers))

    def act(who, method):
        client = app.test_client()
        barrier.wait()
        client.open(f"/api/v1/circles/{circle['id']}/signup", method=method, headers=who.headers)

    threads = [threading.Thread(target=act, args=(who, "DELETE")) for who in seated]
    threads += [threading.Thread(target=act, args=(who, "POST")) for who in newcomers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    seen = details(circle["id"])
    assert (seen["members_count"], seen["waitlist_count"]) == (2, 4)
    assert {join(circle["id"], who)["status"] for who in waiting[:2]} == {"joined"}
