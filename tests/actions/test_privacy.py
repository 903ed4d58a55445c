"""No group of fewer than 5 learners is ever shown, at any scope and in any breakdown."""

from datetime import UTC, datetime, timedelta

import pytest

from learning.accounts.models import User
from learning.extensions import db
from learning.progress import services as progress
from tests.actions.conftest import T0
from tests.factories import import_folder, write_package


@pytest.fixture
def course(app, tmp_path):
    import_folder(app, write_package(tmp_path / "course", slug="climate-basics"))
    return "climate-basics"


@pytest.fixture
def members(app, learners, course):
    """Make `n` learners who belong to a scope (and two who do not, pledging the same)."""

    def make(scope, n):
        if scope.startswith("commune:"):
            inside = learners(n, commune=scope.partition(":")[2])
            learners(2, commune="uccle")
            return inside
        inside = learners(n)
        if scope.startswith("course:"):
            with app.app_context():
                for user_id in inside:
                    progress.enrol(user=db.session.get(User, user_id), slug=course)
            learners(2)
        return inside

    return make


def impact(client, scope):
    response = client.get(f"/api/v1/impact?scope={scope}")
    assert response.status_code == 200, response.json
    return response.json


SCOPES = ["region", "commune:ixelles", "course:climate-basics"]


@pytest.mark.parametrize("scope", SCOPES)
def test_four_learners_are_withheld(client, members, pledge, scope):
    for learner in members(scope, 4):
        pledge(learner, "tap-water")

    figures = impact(client, scope)

    assert figures["withheld"] is True
    assert figures["learners"] is figures["pledges"] is None
    assert figures["catalogue"] is figures["self_estimated"] is None


@pytest.mark.parametrize("scope", SCOPES)
def test_five_learners_are_shown(client, members, pledge, scope):
    for learner in members(scope, 5):
        pledge(learner, "tap-water")

    figures = impact(client, scope)

    assert figures["withheld"] is False
    assert figures["learners"] == 5
    assert figures["catalogue"]["pledged_kg_co2e_per_year"] == 5 * 70


def test_outsiders_pledges_do_not_count_in_a_commune(client, learners, pledge):
    for learner in learners(5, commune="ixelles") + learners(3, commune="uccle"):
        pledge(learner, "tap-water")

    assert impact(client, "commune:ixelles")["learners"] == 5
    assert impact(client, "commune:uccle")["withheld"] is True
    assert impact(client, "region")["learners"] == 8


def test_learners_without_live_pledges_or_savings_do_not_count(client, learners, pledge, report):
    everyone = learners(5)
    for learner in everyone[:4]:
        pledge(learner, "tap-water")
    dropped = pledge(everyone[4], "tap-water")
    report(everyone[4], dropped["id"], "dropped", at=T0)

    assert impact(client, "region")["withheld"] is True


def test_a_small_category_is_folded_into_other_with_the_next_smallest(client, learners, pledge):
    """home-energy 5, mobility 5, food 2 and civic 1: food and civic make an "other" of 3
    learners, too few, so home-energy (first of the two smallest) joins it."""
    group = learners(11)
    home, mobility, only_civic = group[:5], group[5:10], group[10]
    for learner in home:
        pledge(learner, "thermostat-one-degree-lower")
    for learner in mobility:
        pledge(learner, "bike-commute")
    for learner in (home[0], mobility[0]):
        pledge(learner, "vegetarian-days")
    pledge(only_civic, "canteen-veggie-day")

    categories = impact(client, "region")["catalogue"]["categories"]

    assert [(c["category"], c["learners"]) for c in categories] == [("mobility", 5), ("other", 7)]
    other = categories[1]
    assert other["pledged_kg_co2e_per_year"] == 5 * 170 + 2 * 310 + 70
    assert other["pledges"] == 5 + 2 + 1


def test_a_small_month_is_folded_and_nothing_hides_in_the_total(client, learners, pledge, report):
    """Five pledge in January, five in February, two in March: March is folded, and with
    January (the earliest of the smallest) it makes an "other" of seven."""
    group = learners(12)
    for index, learner in enumerate(group):
        month = 1 if index < 5 else 2 if index < 10 else 3
        pledge(learner, "tap-water", at=datetime(2026, month, 3, 9, 0, tzinfo=UTC))

    catalogue = impact(client, "region")["catalogue"]

    months = catalogue["months"]
    assert [(m["month"], m["learners"]) for m in months] == [("2026-02", 5), ("other", 7)]
    assert (
        sum(m["pledged_kg_co2e_per_year"] for m in months) == catalogue["pledged_kg_co2e_per_year"]
    )


def test_every_shown_figure_has_five_learners_and_breakdowns_add_up(
    client, learners, pledge, report
):
    start = datetime(2025, 9, 1, 8, 0, tzinfo=UTC)
    actions = ["heat-pump", "less-beef", "bike-commute", "tap-water", "repair-cafe"]
    for index, learner in enumerate(learners(17)):
        for offset, action in enumerate(actions[: 1 + index % len(actions)]):
            made = pledge(learner, action, at=start + timedelta(days=9 * index + offset))
            if (index + offset) % 3:
                report(learner, made["id"], "ongoing", at=start + timedelta(days=10 * index + 20))

    catalogue = impact(client, "region")["catalogue"]

    for breakdown in ("categories", "months"):
        entries = catalogue[breakdown]
        assert all(entry["learners"] >= 5 for entry in entries), breakdown
        for figure in ("pledged_kg_co2e_per_year", "realised_kg_co2e"):
            assert sum(e[figure] for e in entries) == pytest.approx(catalogue[figure], abs=0.5)
        assert sum(e["pledges"] for e in entries) == catalogue["pledges"]


def test_self_estimated_figures_need_five_learners_of_their_own(client, learners, pledge):
    group = learners(9)
    for learner in group[:5]:
        pledge(learner, "tap-water")
    for learner in group[5:]:
        pledge(learner, custom={"title": "Mine", "kg_co2e_per_year": 50})

    four = impact(client, "region")
    pledge(group[0], custom={"title": "Mine too", "kg_co2e_per_year": 50})
    five = impact(client, "region")

    assert four["self_estimated"] is None
    assert four["catalogue"]["pledged_kg_co2e_per_year"] == 5 * 70
    # Counts are of the blocks shown: nothing to subtract to find the four.
    assert (four["learners"], four["pledges"]) == (5, 5)
    assert five["self_estimated"]["learners"] == 5
    assert five["self_estimated"]["pledged_kg_co2e_per_year"] == 5 * 50
    assert five["catalogue"]["pledged_kg_co2e_per_year"] == 5 * 70


def test_a_scope_whose_blocks_are_both_too_small_is_withheld(client, learners, pledge):
    group = learners(8)
    for learner in group[:4]:
        pledge(learner, "tap-water")
    for learner in group[4:]:
        pledge(learner, custom={"title": "Mine", "kg_co2e_per_year": 50})

    figures = impact(client, "region")

    assert figures["withheld"] is True
    assert figures["learners"] is figures["catalogue"] is figures["self_estimated"] is None
