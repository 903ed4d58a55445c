"""Leaderboards: top N and my rank by scope and period; everyone ranked, only the willing named."""

import pytest

from tests.gamification.conftest import brussels


def board(client, who, **query):
    response = client.get("/api/v1/leaderboards", query_string=query, headers=who.headers)
    assert response.status_code == 200, response.json
    return response.json


@pytest.fixture
def four(person, deed):
    """Ana 30 points and named; Ben and Cleo 20, anonymous; Dirk 10, named."""
    people = {
        "Ana": person("Ana", visible=True, commune="ixelles"),
        "Ben": person("Ben", commune="ixelles"),
        "Cleo": person("Cleo", commune="uccle"),
        "Dirk": person("Dirk", visible=True),
    }
    for name, deeds in (("Ana", 3), ("Ben", 2), ("Cleo", 2), ("Dirk", 1)):
        for _ in range(deeds):
            deed(people[name])
    return people


def test_ties_share_a_rank_and_only_who_allows_it_is_named(client, four):
    result = board(client, four["Cleo"])

    assert result["scope"] == "global"
    assert result["period"] == "week"
    assert result["starts_on"] == "2026-03-02"
    assert result["top"] == [
        {"rank": 1, "display_name": "Ana", "anonymous": False, "points": 30, "is_me": False},
        {"rank": 2, "display_name": None, "anonymous": True, "points": 20, "is_me": False},
        {"rank": 2, "display_name": None, "anonymous": True, "points": 20, "is_me": True},
        {"rank": 4, "display_name": "Dirk", "anonymous": False, "points": 10, "is_me": False},
    ]
    assert result["me"] == {"rank": 2, "points": 20}


def test_the_top_is_cut_at_the_limit_and_my_rank_still_shows(client, four):
    result = board(client, four["Dirk"], limit=2)

    assert [entry["points"] for entry in result["top"]] == [30, 20]
    assert result["me"] == {"rank": 4, "points": 10}


def test_a_learner_without_points_ranks_after_everyone_with_points(client, four, person):
    assert board(client, person("Eve"))["me"] == {"rank": 5, "points": 0}


def test_a_commune_board_ranks_its_learners_only(client, four):
    ixelles = board(client, four["Ben"], scope="commune:ixelles")
    from_uccle = board(client, four["Cleo"], scope="commune:ixelles")

    assert [entry["points"] for entry in ixelles["top"]] == [30, 20]
    assert ixelles["me"] == {"rank": 2, "points": 20}
    assert from_uccle["me"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"scope": "commune:atlantis"}, "scope"),
        ({"scope": "planet"}, "scope"),
        ({"scope": "class:first"}, "scope"),
        ({"period": "year"}, "period"),
        ({"limit": 0}, "limit"),
    ],
)
def test_an_unknown_scope_period_or_limit_is_refused(client, person, query, field):
    response = client.get("/api/v1/leaderboards", query_string=query, headers=person().headers)

    assert response.status_code == 422
    assert list(response.json["errors"]) == [field]


def test_the_week_starts_on_monday_at_midnight_in_brussels(client, person, deed, clock):
    ana = person("Ana")
    clock.move_to(brussels(2026, 3, 9, 10, 0))
    deed(ana, at=brussels(2026, 3, 8, 23, 30))
    deed(ana, at=brussels(2026, 3, 9, 0, 30))

    week = board(client, ana, period="week")
    month = board(client, ana, period="month")
    ever = board(client, ana, period="all")

    assert (week["starts_on"], week["me"]["points"]) == ("2026-03-09", 10)
    assert (month["starts_on"], month["me"]["points"]) == ("2026-03-01", 20)
    assert (ever["starts_on"], ever["me"]["points"]) == (None, 20)


def test_the_month_starts_on_the_first_in_brussels(client, person, deed, clock):
    ana = person("Ana")
    clock.move_to(brussels(2026, 4, 1, 10, 0))
    deed(ana, at=brussels(2026, 3, 31, 23, 30))
    deed(ana, at=brussels(2026, 4, 1, 0, 30))

    assert board(client, ana, period="month")["me"]["points"] == 10
    assert board(client, ana, period="week")["me"]["points"] == 20


def test_last_weeks_points_leave_this_weeks_board(client, four, clock):
    clock.move_to(brussels(2026, 3, 9, 0, 0))

    assert board(client, four["Ana"])["top"] == []
    assert board(client, four["Ana"], period="month")["top"][0]["points"] == 30


def test_the_board_reads_maintained_totals_never_the_ledger(client, person, deed, count_queries):
    ana = person("Ana")
    counts = []
    for extra in (1, 10):
        for _ in range(extra):
            deed(person())
        with count_queries() as statements:
            board(client, ana, scope="commune:ixelles")
        counts.append(len(statements))
        assert not any("ledger_entries" in statement for statement in statements)

    assert counts[0] == counts[1]


def test_a_class_board_is_for_its_learners_and_teachers(client, person, deed, school_class):
    teacher = person("Ms Peeters", roles=("teacher",))
    ana, ben, outsider = person("Ana", visible=True), person("Ben"), person("Olga")
    class_id = school_class(teacher, ana, ben)
    deed(ana)
    deed(outsider)

    learners_view = board(client, ben, scope=f"class:{class_id}")
    teachers_view = board(client, teacher, scope=f"class:{class_id}")
    refused = client.get(f"/api/v1/leaderboards?scope=class:{class_id}", headers=outsider.headers)

    assert learners_view["scope"] == f"class:{class_id}"
    assert [entry["display_name"] for entry in learners_view["top"]] == ["Ana"]
    assert learners_view["me"] == {"rank": 2, "points": 0}
    assert teachers_view["me"] is None
    assert refused.status_code == 404


def test_a_teacher_can_switch_a_class_board_off(client, person, school_class):
    teacher, ana = person("Ms Peeters", roles=("teacher",)), person("Ana")
    class_id = school_class(teacher, ana, leaderboard=False)

    response = client.get(f"/api/v1/leaderboards?scope=class:{class_id}", headers=ana.headers)

    assert response.status_code == 403
    assert "switched its leaderboard off" in response.json["detail"]


def test_a_board_of_a_class_that_does_not_exist_is_not_found(client, person):
    response = client.get("/api/v1/leaderboards?scope=class:424242", headers=person().headers)

    assert response.status_code == 404


def test_a_circle_board_is_for_its_people(client, person, deed, circle):
    fatima, ana, outsider = person("Fatima", visible=True), person("Ana"), person("Olga")
    circle_id = circle(fatima, ana)
    deed(ana)
    deed(ana)
    deed(fatima)

    result = board(client, ana, scope=f"circle:{circle_id}")
    refused = client.get(f"/api/v1/leaderboards?scope=circle:{circle_id}", headers=outsider.headers)

    assert [(entry["rank"], entry["display_name"]) for entry in result["top"]] == [
        (1, None),
        (2, "Fatima"),
    ]
    assert result["me"] == {"rank": 1, "points": 20}
    assert refused.status_code == 404


def test_a_learner_who_moves_takes_their_points_to_the_new_communes_board(client, four):
    moved = client.patch("/api/v1/me", json={"commune": "uccle"}, headers=four["Ben"].headers)
    assert moved.status_code == 200, moved.json

    uccle = board(client, four["Ben"], scope="commune:uccle")
    ixelles = board(client, four["Ana"], scope="commune:ixelles")

    assert [entry["points"] for entry in uccle["top"]] == [20, 20]
    assert uccle["me"] == {"rank": 1, "points": 20}
    assert [entry["points"] for entry in ixelles["top"]] == [30]


@pytest.mark.parametrize("scope", ["global", "commune:ixelles"])
def test_a_board_runs_the_same_statements_however_many_learners_have_points(
    client, person, deed, count_queries, scope
):
    me = person("Me", commune="ixelles")
    deed(me)

    def statements() -> int:
        with count_queries() as counted:
            board(client, me, scope=scope)
        return len(counted)

    few = statements()
    for index in range(12):
        deed(person(f"Learner {index}", commune="ixelles"))
    assert statements() == few


def test_a_board_is_kept_for_a_while_but_my_points_and_rank_move_at_once(
    app, client, four, deed, count_queries
):
    app.config["LEADERBOARD_CACHE_SECONDS"] = 60
    with count_queries() as read:
        before = board(client, four["Dirk"])
    deed(four["Dirk"])
    deed(four["Dirk"])
    with count_queries() as kept:
        after = board(client, four["Dirk"])

    assert before["me"] == {"rank": 4, "points": 10}
    # The top is as it was read; my points are read again and ranked among the kept board's.
    assert after["top"] == before["top"]
    assert after["me"] == {"rank": 1, "points": 30}
    assert len(kept) == len(read) - 2
