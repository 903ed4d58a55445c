"""The action catalogue: a shipped, checked file of cited actions, served at /api/v1/actions."""

import copy
from pathlib import Path

import pytest
import yaml

from learning import create_app
from learning.actions import catalogue as catalogue_module
from learning.actions.catalogue import CATALOGUE_FILE, CatalogueError, load_catalogue
from learning.brussels import LANGUAGES

SHIPPED = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))


def write_catalogue(folder: Path, change) -> Path:
    """The shipped catalogue with one change applied, written to a file of its own."""
    data = copy.deepcopy(SHIPPED)
    change(data)
    path = folder / "catalogue.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(CatalogueError) as refused:
        load_catalogue(path)
    return refused.value.problems


def action(data, slug):
    return next(item for item in data["actions"] if item["slug"] == slug)


def test_the_shipped_catalogue_has_30_actions_or_more_across_every_category_and_kind():
    catalogue = load_catalogue()

    assert len(catalogue.actions) >= 30
    categories = {a["category"] for a in catalogue.actions.values()}
    assert categories == {"home-energy", "mobility", "food", "consumption-waste", "civic"}
    assert {a["kind"] for a in catalogue.actions.values()} == {"personal", "with_others"}


def test_every_shipped_action_is_cited_and_its_range_holds_its_central_value():
    for slug, entry in load_catalogue().actions.items():
        saving = entry["kg_co2e_per_year"]
        assert saving["low"] <= saving["central"] <= saving["high"], slug
        assert entry["sources"], slug
        for source in entry["sources"]:
            assert source["title"] and source["year"] and source["url"].startswith("http"), slug
        for field in ("title", "description", "assumptions"):
            assert set(entry[field]) == set(LANGUAGES), (slug, field)


def test_an_action_without_a_source_is_refused_with_its_slug(tmp_path):
    path = write_catalogue(tmp_path, lambda d: action(d, "heat-pump").update(sources=[]))

    assert problems_of(path) == ["heat-pump: sources: Shorter than minimum length 1."]


def test_a_range_that_does_not_contain_the_central_value_is_refused(tmp_path):
    def widen(data):
        action(data, "bike-commute")["kg_co2e_per_year"] = {"central": 370, "low": 400, "high": 900}

    path = write_catalogue(tmp_path, widen)

    assert problems_of(path) == [
        "bike-commute: kg_co2e_per_year.central: The range 400-900 does not contain the "
        "central value 370."
    ]


def test_a_source_needs_a_title_a_year_and_a_link(tmp_path):
    def strip(data):
        action(data, "tap-water")["sources"] = [{"title": "Somebody said so"}]

    problems = problems_of(write_catalogue(tmp_path, strip))

    assert problems == [
        "tap-water: sources.0.year: Missing data for required field.",
        "tap-water: sources.0.url: Missing data for required field.",
    ]


def test_every_language_is_required(tmp_path):
    path = write_catalogue(tmp_path, lambda d: action(d, "less-beef")["title"].pop("fr"))

    assert problems_of(path) == ["less-beef: title.fr: Missing data for required field."]


def test_categories_factors_and_overlaps_must_exist_and_overlaps_go_both_ways(tmp_path):
    def break_references(data):
        action(data, "tap-water").update(category="water", factors=["rain"])
        action(data, "eco-driving")["overlaps"] = [
            "car-free-household",
            "eco-driving",
            "bike-commute",
            "teleport",
        ]

    problems = problems_of(write_catalogue(tmp_path, break_references))

    assert problems == [
        "eco-driving: overlaps: an action cannot overlap itself.",
        "eco-driving: overlaps: bike-commute does not list eco-driving back.",
        "eco-driving: overlaps: 'teleport' is not an action.",
        "tap-water: category: 'water' is not a category.",
        "tap-water: factors: 'rain' is not a factor.",
    ]


def test_two_actions_cannot_share_a_slug(tmp_path):
    path = write_catalogue(tmp_path, lambda d: d["actions"].append(d["actions"][0]))

    assert problems_of(path) == ["thermostat-one-degree-lower: the slug is used by another action."]


def test_a_file_that_is_not_yaml_is_refused(tmp_path):
    path = tmp_path / "catalogue.yaml"
    path.write_text("actions: [unclosed", encoding="utf-8")

    (problem,) = problems_of(path)
    assert problem.startswith("catalogue.yaml: ")


def test_a_broken_catalogue_stops_the_app_at_start(tmp_path, monkeypatch):
    path = write_catalogue(tmp_path, lambda d: action(d, "heat-pump").update(sources=[]))
    monkeypatch.setattr(catalogue_module, "CATALOGUE_FILE", path)

    with pytest.raises(CatalogueError, match="heat-pump: sources"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})


def test_the_api_serves_the_catalogue_in_the_asked_language(client):
    response = client.get("/api/v1/actions?lang=fr&per_page=100")

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr"
    body = response.json
    assert body["total"] == len(load_catalogue().actions)
    heat_pump = next(item for item in body["items"] if item["slug"] == "heat-pump")
    assert heat_pump["title"] == "Remplacer la chaudière au gaz par une pompe à chaleur"
    assert heat_pump["kg_co2e_per_year"] == {"central": 2000, "low": 900, "high": 3900}
    assert heat_pump["kind"] == "personal"
    assert "9 720 kWh" in heat_pump["assumptions"]
    assert {f["slug"] for f in heat_pump["factors"]} >= {"natural-gas", "electricity-belgium"}
    gas = next(f for f in heat_pump["factors"] if f["slug"] == "natural-gas")
    assert gas["label"].startswith("Gaz naturel") and gas["unit"] == "kg CO2e/kWh"
    assert "thermostat-one-degree-lower" in heat_pump["overlaps"]
    assert heat_pump["sources"][0]["url"] == "https://www.iea.org/reports/the-future-of-heat-pumps"


def test_accept_language_picks_the_language_and_dutch_is_the_default(client):
    english = client.get("/api/v1/actions", headers={"Accept-Language": "en-GB,en;q=0.8"})
    default = client.get("/api/v1/actions", headers={"Accept-Language": "de"})

    assert english.headers["Content-Language"] == "en"
    assert english.json["items"][0]["title"] == "Turn the thermostat down by one degree"
    assert default.headers["Content-Language"] == "nl"
    assert default.json["items"][0]["title"] == "De thermostaat een graad lager zetten"


def test_the_catalogue_filters_by_category_and_kind(client):
    response = client.get("/api/v1/actions?category=civic&kind=with_others&per_page=100")

    items = response.json["items"]
    assert items and response.json["total"] == len(items)
    assert {(item["category"], item["kind"]) for item in items} == {("civic", "with_others")}
    mobility = client.get("/api/v1/actions?category=mobility&kind=with_others").json
    assert mobility["total"] == 0


def test_the_catalogue_is_paginated(client):
    first = client.get("/api/v1/actions?per_page=10").json
    second = client.get("/api/v1/actions?per_page=10&page=2").json

    assert (first["page"], first["per_page"], len(first["items"])) == (1, 10, 10)
    assert not {i["slug"] for i in first["items"]} & {i["slug"] for i in second["items"]}


def test_an_unknown_kind_is_invalid_input(client):
    response = client.get("/api/v1/actions?kind=heroic")

    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert "kind" in response.json["errors"]
