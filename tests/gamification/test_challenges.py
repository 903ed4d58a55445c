"""Collective challenges: a shared goal, its progress, and each contributor paid once when met."""

import uuid
from datetime import timedelta

import psycopg
import pytest
import sqlalchemy as sa

from learning import events
from learning.gamification import challenges as mechanics
from tests.gamification.conftest import T0, brussels, completed

MONTH_END = brussels(2026, 4, 1, 0, 0).isoformat()


def set_challenge(client, who, **body):
    body = {
        "scope": "commune:ixelles",
        "title": "Three good deeds in Ixelles",
        "metric": "good_deeds",
        "target": 3,
        "ends_at": MONTH_END,
        **body,
    }
    return client.post("/api/v1/challenges", json=body, headers=who.headers)


def challenges(client, who, **query):
    response = client.get("/api/v1/challenges", query_string=query, headers=who.headers)
    assert response.status_code == 200, response.json
    return response.json["items"]


@pytest.fixture
def ixelles(person):
    """Ana, Ben and Cleo live in Ixelles; Dirk in Uccle."""
    return {
        "Ana": person("Ana", commune="ixelles"),
        "Ben": person("Ben", commune="ixelles"),
        "Cleo": person("Cleo", commune="ixelles"),
        "Dirk": person("Dirk", commune="uccle"),
    }


@pytest.fixture
def met_events():
    """challenge_met as sent, (user id, challenge id)."""
    seen = []

    def receive(_sender, **kwargs):
        seen.append((kwargs["user_id"], kwargs["challenge"]))

    events.challenge_met.connect(receive)
    yield seen
    events.challenge_met.disconnect(receive)


def test_an_admin_sets_a_commune_challenge_and_its_learners_see_progress(
    client, admin, ixelles, deed
):
    made = set_challenge(client, admin)
    deed(ixelles["Ana"])
    deed(ixelles["Dirk"])

    (seen,) = challenges(client, ixelles["Ben"])

    assert made.status_code == 201
    assert seen["id"] == made.json["id"]
    assert seen["scope"] == "commune:ixelles"
    assert (seen["status"], seen["met_at"]) == ("active", None)
    assert (seen["progress"], seen["target"], seen["contributors"]) == (1, 3, 1)
    assert seen["my_contribution"] == 0
    assert challenges(client, ixelles["Ana"])[0]["my_contribution"] == 1
    assert challenges(client, ixelles["Dirk"]) == []


def test_meeting_the_goal_pays_each_contributor_once(
    client, admin, ixelles, deed, ledger, met_events
):
    challenge_id = set_challenge(client, admin, points=40).json["id"]
    deed(ixelles["Ana"])
    deed(ixelles["Ana"])

    deed(ixelles["Ben"])
    deed(ixelles["Ana"])

    assert ledger(ixelles["Ana"], rule="challenge_met") == [
        ("challenge_met", str(challenge_id), 40)
    ]
    assert ledger(ixelles["Ben"], rule="challenge_met") == [
        ("challenge_met", str(challenge_id), 40)
    ]
    assert ledger(ixelles["Cleo"]) == []
    assert sorted(met_events) == sorted(
        [(ixelles["Ana"].id, challenge_id), (ixelles["Ben"].id, challenge_id)]
    )
    (seen,) = challenges(client, ixelles["Ana"])
    assert (seen["status"], seen["progress"], seen["contributors"]) == ("met", 4, 2)
    assert seen["met_at"] is not None


def test_who_contributes_after_the_goal_is_met_is_paid_once_too(
    client, admin, ixelles, deed, ledger
):
    set_challenge(client, admin, target=1)
    deed(ixelles["Ana"])

    deed(ixelles["Cleo"])
    deed(ixelles["Cleo"])

    assert len(ledger(ixelles["Cleo"], rule="challenge_met")) == 1


def test_activity_outside_the_window_does_not_count(client, admin, ixelles, deed, clock):
    tomorrow = (T0 + timedelta(days=1)).isoformat()
    later = set_challenge(client, admin, starts_at=tomorrow).json
    deed(ixelles["Ana"])

    assert (later["status"], challenges(client, ixelles["Ana"])[0]["progress"]) == ("upcoming", 0)
    clock.move_to(brussels(2026, 4, 1, 0, 0))
    deed(ixelles["Ana"])
    assert (
        challenges(client, ixelles["Ana"])[0] | {"progress": 0, "status": "ended"}
        == (challenges(client, ixelles["Ana"])[0])
    )


def test_a_goal_already_met_when_set_pays_at_once(client, admin, ixelles, deed, ledger):
    for _ in range(3):
        deed(ixelles["Ana"], at=T0 - timedelta(days=1))

    made = set_challenge(client, admin, starts_at=(T0 - timedelta(days=2)).isoformat()).json

    assert made["status"] == "met"
    assert ledger(ixelles["Ana"], rule="challenge_met") == [("challenge_met", str(made["id"]), 50)]


def test_a_points_challenge_sums_points(client, admin, ixelles, deed):
    set_challenge(client, admin, metric="points", target=25)
    deed(ixelles["Ana"])
    deed(ixelles["Ben"])

    (seen,) = challenges(client, ixelles["Ana"])

    assert (seen["progress"], seen["contributors"], seen["my_contribution"]) == (20, 2, 10)


def test_a_class_challenge_counts_its_learners_lessons(
    client, person, school_class, course, sync, ledger
):
    teacher = person("Ms Peeters", roles=("teacher",))
    ana, ben = person("Ana"), person("Ben")
    class_id = school_class(teacher, ana, ben)
    made = set_challenge(
        client,
        teacher,
        scope=f"class:{class_id}",
        title="Four lessons together",
        metric="lessons_completed",
        target=4,
    )

    sync(ana, completed("lesson-0-0", at=T0), completed("lesson-0-1", at=T0))
    sync(ben, completed("lesson-0-0", at=T0), completed("lesson-0-1", at=T0))

    assert made.status_code == 201
    assert challenges(client, teacher)[0]["status"] == "met"
    assert challenges(client, ana)[0]["my_contribution"] == 2
    for learner in (ana, ben):
        assert ledger(learner, rule="challenge_met") == [
            ("challenge_met", str(made.json["id"]), 50)
        ]
    assert ledger(teacher) == []


def test_a_facilitator_sets_a_challenge_for_their_circle(client, person, circle):
    fatima, ana = person("Fatima"), person("Ana")
    circle_id = circle(fatima, ana)

    made = set_challenge(client, fatima, scope=f"circle:{circle_id}", metric="meetings_attended")
    refused = set_challenge(client, ana, scope=f"circle:{circle_id}")

    assert made.status_code == 201
    assert refused.status_code == 403
    assert [seen["id"] for seen in challenges(client, ana)] == [made.json["id"]]


@pytest.mark.parametrize("scope", ["commune:ixelles", "class:{class_id}"])
def test_only_those_who_lead_a_group_set_its_challenges(
    client, person, school_class, ixelles, scope
):
    teacher = person("Ms Peeters", roles=("teacher",))
    class_id = school_class(teacher, ixelles["Ana"])

    response = set_challenge(client, ixelles["Ana"], scope=scope.format(class_id=class_id))

    assert response.status_code in (403, 404)
    assert response.headers["Content-Type"] == "application/problem+json"


def test_a_teacher_sets_challenges_for_their_own_classes_only(client, person, school_class):
    mine, theirs = (
        person("Ms Peeters", roles=("teacher",)),
        person("Mr Janssens", roles=("teacher",)),
    )
    their_class = school_class(theirs)

    response = set_challenge(client, mine, scope=f"class:{their_class}")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"metric": "trees_hugged"}, "metric"),
        ({"scope": "global"}, "scope"),
        ({"scope": "commune:atlantis"}, "scope"),
        ({"ends_at": (T0 - timedelta(hours=1)).isoformat()}, "ends_at"),
        ({"target": 0}, "target"),
        ({"points": 10_000}, "points"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
    ],
)
def test_a_challenge_that_cannot_be_met_is_refused(client, admin, body, field):
    response = set_challenge(client, admin, **body)

    assert response.status_code == 422
    assert list(response.json["errors"]) == [field]


def test_setting_a_challenge_again_with_its_id_sets_it_once(client, admin):
    client_id = str(uuid.uuid4())

    first = set_challenge(client, admin, id=client_id)
    again = set_challenge(client, admin, id=client_id)

    assert again.status_code == 201
    assert again.json["id"] == first.json["id"]
    assert len(challenges(client, admin)) == 1


def test_one_challenge_is_for_its_scope_only(client, admin, ixelles):
    challenge_id = set_challenge(client, admin).json["id"]

    mine = client.get(f"/api/v1/challenges/{challenge_id}", headers=ixelles["Ana"].headers)
    not_mine = client.get(f"/api/v1/challenges/{challenge_id}", headers=ixelles["Dirk"].headers)

    assert (mine.status_code, mine.json["title"]) == (200, "Three good deeds in Ixelles")
    assert not_mine.status_code == 404


def test_challenges_filter_by_status(client, admin, ixelles, deed):
    set_challenge(client, admin, target=1, title="Soon met")
    set_challenge(client, admin, title="Still going")
    deed(ixelles["Ana"])

    met = challenges(client, ixelles["Ana"], status="met")
    active = challenges(client, ixelles["Ana"], status="active")

    assert [seen["title"] for seen in met] == ["Soon met"]
    assert [seen["title"] for seen in active] == ["Still going"]


def deadlocking(monkeypatch, times: int) -> list:
    """Make settling a challenge fail as a PostgreSQL deadlock victim, `times` times."""
    settle_locked = mechanics._settle_locked
    calls = []

    def settle(*args):
        calls.append(args)
        if len(calls) <= times:
            error = psycopg.errors.DeadlockDetected("deadlock detected")
            raise sa.exc.OperationalError("SELECT ... FOR UPDATE", {}, error)
        return settle_locked(*args)

    monkeypatch.setattr(mechanics, "_settle_locked", settle)
    return calls


def test_a_settlement_cancelled_by_a_deadlock_is_tried_again(
    client, admin, ixelles, deed, ledger, monkeypatch
):
    challenge_id = set_challenge(client, admin, target=1).json["id"]
    calls = deadlocking(monkeypatch, times=1)

    deed(ixelles["Ana"])

    assert len(calls) == 2
    assert ledger(ixelles["Ana"], rule="challenge_met") == [
        ("challenge_met", str(challenge_id), 50)
    ]


def test_a_learner_caught_in_deadlocks_is_asked_to_send_again(
    client, admin, ixelles, course, sync, points, monkeypatch
):
    set_challenge(client, admin, metric="lessons_completed", target=1)
    deadlocking(monkeypatch, times=mechanics.SETTLE_ATTEMPTS)

    response = client.post(
        "/api/v1/progress/events",
        json={"events": [completed("lesson-0-0", at=T0)]},
        headers=ixelles["Ana"].headers,
    )

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.headers["Content-Type"] == "application/problem+json"
    assert points(ixelles["Ana"])["total"] == 0
    assert sync(ixelles["Ana"], completed("lesson-0-0", at=T0))[0]["status"] == "accepted"


def test_a_challenge_of_a_deleted_class_stays_listed_with_no_progress(client, person, school_class):
    teacher = person("Ms Peeters", roles=("teacher",))
    class_id = school_class(teacher, person("Ana"))
    set_challenge(client, teacher, scope=f"class:{class_id}")

    deleted = client.delete(f"/api/v1/classes/{class_id}", headers=teacher.headers)

    assert deleted.status_code == 204
    (seen,) = challenges(client, teacher)
    assert (seen["scope"], seen["progress"]) == (f"class:{class_id}", 0)
