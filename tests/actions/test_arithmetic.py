"""Pledged versus realised: the rules of docs/impact-method.md against hand-computed values."""

from datetime import UTC, datetime

import pytest

from learning.actions.counting import realised_kg
from learning.actions.impact import impact_figures

NOW = datetime(2026, 3, 1, 11, 0, tzinfo=UTC)  # 12:00 in Brussels, 1 March 2026


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def five_alike(app, learners, pledge, report):
    """Five learners who each:
    - pledge thermostat-one-degree-lower (170 kg/yr) on 10 January and report it ongoing at
      00:30 on 15 January in Brussels (23:30 UTC on the 14th): kept 15 Jan -> 1 Mar, 45 days;
    - pledge bike-commute (370 kg/yr) on 20 January, report it done on 1 February and drop
      it on 11 February: kept 10 days, no longer pledged;
    - pledge their own action at 100 kg/yr on 15 February, ongoing from 20 February: 9 days.
    """
    for learner in learners(5):
        thermostat = pledge(learner, "thermostat-one-degree-lower", at=at("2026-01-10T09:00"))
        report(learner, thermostat["id"], "ongoing", at=at("2026-01-14T23:30"))
        bike = pledge(learner, "bike-commute", at=at("2026-01-20T09:00"))
        report(learner, bike["id"], "done", at=at("2026-02-01T10:00"))
        report(learner, bike["id"], "dropped", at=at("2026-02-11T10:00"))
        own = pledge(
            learner,
            custom={"title": "Cook with a lid", "kg_co2e_per_year": 100},
            at=at("2026-02-15T09:00"),
        )
        report(learner, own["id"], "ongoing", at=at("2026-02-20T10:00"))


def test_realised_is_the_annual_saving_prorated_by_brussels_days_kept():
    # Reported at 00:30 on 15 January in Brussels; 1 March at noon: 17 + 28 = 45 days.
    assert realised_kg(
        kg_co2e_per_year=170, kept_since=at("2026-01-14T23:30"), dropped_at=None, now=NOW
    ) == pytest.approx(170 * 45 / 365)


def test_dropping_stops_the_count_and_the_same_day_counts_nothing():
    dropped = realised_kg(
        kg_co2e_per_year=370,
        kept_since=at("2026-02-01T10:00"),
        dropped_at=at("2026-02-11T10:00"),
        now=NOW,
    )
    same_day = realised_kg(
        kg_co2e_per_year=370, kept_since=at("2026-03-01T07:00"), dropped_at=None, now=NOW
    )
    never_kept = realised_kg(kg_co2e_per_year=370, kept_since=None, dropped_at=None, now=NOW)

    assert dropped == pytest.approx(370 * 10 / 365)
    assert same_day == never_kept == 0


def test_the_region_totals_match_the_hand_computed_values(app, five_alike):
    with app.app_context():
        figures = impact_figures(scope="region", now=NOW)

    assert figures["as_of"].isoformat() == "2026-03-01"
    assert figures["withheld"] is False
    # Live pledges: the thermostat and the own action of each of the five.
    assert (figures["learners"], figures["pledges"]) == (5, 10)
    catalogue = figures["catalogue"]
    # Pledged: 5 x 170 (the dropped bike no longer counts).
    assert catalogue["pledged_kg_co2e_per_year"] == 850.0
    # Realised: 5 x (170 x 45 + 370 x 10) / 365 = 155.479...
    assert catalogue["realised_kg_co2e"] == 155.5
    assert (catalogue["learners"], catalogue["pledges"]) == (5, 5)


def test_the_categories_match_the_hand_computed_values(app, five_alike):
    with app.app_context():
        categories = impact_figures(scope="region", now=NOW)["catalogue"]["categories"]

    assert categories == [
        # 5 x 170 x 45 / 365 = 104.79
        {
            "category": "home-energy",
            "learners": 5,
            "pledges": 5,
            "pledged_kg_co2e_per_year": 850.0,
            "realised_kg_co2e": 104.8,
        },
        # Dropped, so nothing pledged; realised 5 x 370 x 10 / 365 = 50.68
        {
            "category": "mobility",
            "learners": 5,
            "pledges": 0,
            "pledged_kg_co2e_per_year": 0.0,
            "realised_kg_co2e": 50.7,
        },
    ]


def test_the_monthly_series_matches_the_hand_computed_values(app, five_alike):
    with app.app_context():
        months = impact_figures(scope="region", now=NOW)["catalogue"]["months"]

    assert months == [
        # Pledged in January and still live: 5 x 170. Realised 15-31 January: 5 x 170 x 17 / 365.
        {
            "month": "2026-01",
            "learners": 5,
            "pledges": 5,
            "pledged_kg_co2e_per_year": 850.0,
            "realised_kg_co2e": 39.6,
        },
        # Realised in February: 5 x 170 x 28 / 365 + 5 x 370 x 10 / 365 = 65.21 + 50.68.
        {
            "month": "2026-02",
            "learners": 5,
            "pledges": 0,
            "pledged_kg_co2e_per_year": 0.0,
            "realised_kg_co2e": 115.9,
        },
    ]


def test_self_estimated_pledges_are_counted_apart(app, five_alike):
    with app.app_context():
        figures = impact_figures(scope="region", now=NOW)

    # Pledged 5 x 100; realised 5 x 100 x 9 / 365 = 12.33.
    assert figures["self_estimated"] == {
        "learners": 5,
        "pledges": 5,
        "pledged_kg_co2e_per_year": 500.0,
        "realised_kg_co2e": 12.3,
    }


def test_figures_as_of_an_earlier_day_ignore_what_came_after(app, five_alike):
    with app.app_context():
        figures = impact_figures(scope="region", now=at("2026-01-25T12:00"))

    catalogue = figures["catalogue"]
    # Both catalogue pledges made and live; the thermostat kept 15 -> 25 January.
    assert catalogue["pledged_kg_co2e_per_year"] == 5 * (170 + 370)
    assert catalogue["realised_kg_co2e"] == round(5 * 170 * 10 / 365, 1)
    assert figures["self_estimated"] is None


def test_a_learner_sees_what_a_dropped_pledge_realised(client, make_user, login, learners, report):
    user_id, email = make_user()
    headers = {"Authorization": f"Bearer {login(email)['access_token']}"}
    pledge = client.post(
        "/api/v1/me/pledges", json={"action": "bike-commute"}, headers=headers
    ).json
    report(user_id, pledge["id"], "done", at=at("2026-02-01T10:00"))
    report(user_id, pledge["id"], "dropped", at=at("2026-02-11T10:00"))

    mine = client.get(f"/api/v1/me/pledges/{pledge['id']}", headers=headers).json

    assert mine["realised_kg_co2e"] == round(370 * 10 / 365, 1)
