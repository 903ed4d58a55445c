"""The public impact page: server-rendered, in nl, fr or en, charts drawn from the API's figures."""

import pytest

from learning.middleware import HTML_CSP
from tests.actions.pages import Elements


@pytest.fixture
def pledged_region(learners, pledge):
    for learner in learners(6, commune="schaerbeek"):
        pledge(learner, "heat-pump")
        pledge(learner, "tap-water")


def test_the_page_speaks_dutch_by_default_and_french_or_english_when_asked(client):
    default = client.get("/impact")
    french = client.get("/impact?lang=fr")
    english = client.get("/impact", headers={"Accept-Language": "en-US,en;q=0.9"})

    assert default.status_code == 200 and default.mimetype == "text/html"
    assert default.headers["Content-Language"] == "nl"
    assert "Impact van onze klimaatacties" in default.get_data(as_text=True)
    assert french.headers["Content-Language"] == "fr"
    assert "Région de Bruxelles-Capitale" in french.get_data(as_text=True)
    assert english.headers["Content-Language"] == "en"
    assert '<html lang="en">' in english.get_data(as_text=True)


def test_the_page_needs_no_script_and_keeps_to_a_strict_csp(client, pledged_region):
    response = client.get("/impact")

    html = response.get_data(as_text=True)
    page = Elements(html)
    assert response.headers["Content-Security-Policy"] == HTML_CSP
    assert not page.find("script") and not page.find("style")
    assert not [attrs for _, attrs in page.tags if "style" in attrs]
    (stylesheet,) = page.find("link", rel="stylesheet")
    with client.get(stylesheet["href"]) as asset:
        assert asset.status_code == 200 and asset.mimetype == "text/css"


def test_the_charts_are_drawn_from_the_same_numbers_as_the_api(client, pledged_region):
    figures = client.get("/api/v1/impact").json["catalogue"]

    page = Elements(client.get("/impact?lang=en").get_data(as_text=True))

    assert page.find("svg", id="chart-categories") and page.find("svg", id="chart-months")
    drawn = {
        (bar["data-measure"], float(bar["data-value"]))
        for bar in page.find("rect")
        if "data-measure" in bar
    }
    for entry in figures["categories"]:
        assert ("pledged", entry["pledged_kg_co2e_per_year"]) in drawn
        assert ("realised", entry["realised_kg_co2e"]) in drawn
    months = [m for m in page.find("rect") if m.get("data-measure") == "realised"]
    assert len(months) == len(figures["categories"]) + len(figures["months"])
    (headline,) = page.find("dd", **{"data-figure": "pledged"})
    assert float(headline["data-value"]) == figures["pledged_kg_co2e_per_year"]


def test_headline_numbers_are_written_the_belgian_way(client, pledged_region):
    dutch = "".join(Elements(client.get("/impact?lang=nl").get_data(as_text=True)).text)
    english = "".join(Elements(client.get("/impact?lang=en").get_data(as_text=True)).text)

    # Six heat pumps (2,000 kg) and six times tap water (70 kg) a year.
    assert "12.420" in dutch
    assert "12,420" in english


def test_a_commune_page_shows_its_own_figures_and_links_the_others(client, pledged_region):
    page = client.get("/impact/schaerbeek?lang=nl").get_data(as_text=True)
    elsewhere = client.get("/impact/ixelles?lang=fr").get_data(as_text=True)

    assert "Schaarbeek" in page
    assert 'data-figure="learners" data-value="6"' in page
    assert "/impact/ixelles?lang=nl" in page
    assert "/api/v1/impact.csv?scope=commune:schaerbeek" in page
    assert "Pas encore de chiffres" in elsewhere
    assert "<svg id=" not in elsewhere


def test_an_unknown_commune_has_no_page(client):
    assert client.get("/impact/atlantis").status_code == 404


def test_the_method_and_every_cited_source_are_on_the_page(client):
    html = client.get("/impact?lang=en").get_data(as_text=True)

    assert "How we count" in html
    assert "https://doi.org/10.1126/science.aaq0216" in html
    assert "https://ourworldindata.org/grapher/carbon-intensity-electricity" in html
