"""GET /api/v1/impact and its open-data twin, GET /api/v1/impact.csv."""

import csv
import io

from learning.actions.impact import CSV_COLUMNS


def test_the_region_is_the_default_scope(client):
    response = client.get("/api/v1/impact")

    assert response.status_code == 200
    assert response.json == {
        "scope": "region",
        "as_of": response.json["as_of"],
        "minimum_group": 5,
        "withheld": True,
        "learners": None,
        "pledges": None,
        "catalogue": None,
        "self_estimated": None,
    }
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_a_scope_must_be_well_formed(client):
    for scope in ("world", "commune:", "class:x", "course:Not A Slug"):
        response = client.get(f"/api/v1/impact?scope={scope}")

        assert response.status_code == 422, scope
        assert set(response.json["errors"]) == {"scope"}


def test_an_unknown_commune_or_course_is_not_found(client):
    assert client.get("/api/v1/impact?scope=commune:paris").status_code == 404
    assert client.get("/api/v1/impact?scope=course:no-such-course").status_code == 404
    assert client.get("/api/v1/impact.csv?scope=commune:paris").status_code == 404


def _rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_csv_is_open_data_with_a_licence_and_a_file_name(client, learners, pledge):
    for learner in learners(5, commune="etterbeek"):
        pledge(learner, "heat-pump")

    response = client.get("/api/v1/impact.csv?scope=commune:etterbeek")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert (
        response.headers["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    )
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="carbonlit-impact-commune-etterbeek-')
    header = response.get_data(as_text=True).splitlines()[0]
    assert header == ",".join(CSV_COLUMNS)


def test_the_csv_carries_the_same_figures_as_the_json(client, learners, pledge):
    for learner in learners(6):
        pledge(learner, "heat-pump")
        pledge(learner, custom={"title": "Mine", "kg_co2e_per_year": 30})

    figures = client.get("/api/v1/impact").json
    rows = _rows(client.get("/api/v1/impact.csv"))

    keyed = {(row["block"], row["breakdown"], row["key"]): row for row in rows}
    assert {row["scope"] for row in rows} == {"region"}
    assert {row["as_of"] for row in rows} == {figures["as_of"]}
    assert keyed[("all", "total", "")]["learners"] == "6"
    assert keyed[("all", "total", "")]["pledged_kg_co2e_per_year"] == ""
    total = keyed[("catalogue", "total", "")]
    assert (total["withheld"], total["pledges"]) == ("false", "6")
    assert (
        float(total["pledged_kg_co2e_per_year"]) == figures["catalogue"]["pledged_kg_co2e_per_year"]
    )
    for entry in figures["catalogue"]["categories"]:
        row = keyed[("catalogue", "category", entry["category"])]
        assert float(row["pledged_kg_co2e_per_year"]) == entry["pledged_kg_co2e_per_year"]
        assert int(row["learners"]) == entry["learners"]
    for entry in figures["catalogue"]["months"]:
        row = keyed[("catalogue", "month", entry["month"])]
        assert float(row["realised_kg_co2e"]) == entry["realised_kg_co2e"]
    own = keyed[("self_estimated", "total", "")]
    assert float(own["pledged_kg_co2e_per_year"]) == 6 * 30


def test_a_withheld_scope_publishes_one_row_saying_so(client, learners, pledge):
    for learner in learners(4):
        pledge(learner, "heat-pump")

    rows = _rows(client.get("/api/v1/impact.csv"))

    (row,) = rows
    assert (row["block"], row["breakdown"], row["withheld"]) == ("all", "total", "true")
    assert row["learners"] == row["pledged_kg_co2e_per_year"] == ""


def test_a_withheld_block_is_a_row_without_figures(client, learners, pledge):
    for learner in learners(5):
        pledge(learner, "heat-pump")

    rows = _rows(client.get("/api/v1/impact.csv"))

    own = next(row for row in rows if row["block"] == "self_estimated")
    assert (own["withheld"], own["learners"], own["realised_kg_co2e"]) == ("true", "", "")


def test_the_impact_endpoints_are_documented(client):
    paths = client.get("/api/openapi.json").json["paths"]

    assert "text/csv" in paths["/api/v1/impact.csv"]["get"]["responses"]["200"]["content"]
    impact = paths["/api/v1/impact"]["get"]
    assert {"200", "404", "422"} <= set(impact["responses"])
    assert {"201", "409", "422", "401"} <= set(paths["/api/v1/me/pledges"]["post"]["responses"])


def test_hostile_custom_pledge_titles_never_reach_the_csv_as_formulas(client, learners, pledge):
    hostile = ['=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1"]
    for learner, title in zip(learners(5, commune="ixelles"), hostile, strict=True):
        pledge(learner, custom={"title": title, "kg_co2e_per_year": 50})
        pledge(learner, "heat-pump")

    text = client.get("/api/v1/impact.csv?scope=commune:ixelles").get_data(as_text=True)

    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    formulas = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert not [cell for cell in formulas if not _is_number(cell)]
    assert not [title for title in hostile if title in text]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_a_process_keeps_a_scopes_figures_for_a_while(app, client, learners, pledge, count_queries):
    app.config["IMPACT_CACHE_SECONDS"] = 60
    for learner in learners(5, commune="evere"):
        pledge(learner, "heat-pump")
    first = client.get("/api/v1/impact?scope=commune:evere")

    with count_queries() as statements:
        again = client.get("/api/v1/impact?scope=commune:evere")
    pledge(learners(1, commune="evere")[0], "heat-pump")
    kept = client.get("/api/v1/impact?scope=commune:evere")
    app.config["IMPACT_CACHE_SECONDS"] = 0

    assert statements == []
    assert again.json == first.json == kept.json
    assert client.get("/api/v1/impact?scope=commune:evere").json["pledges"] == 6


def test_impact_costs_the_same_however_many_pledges_a_scope_holds(
    client, learners, pledge, count_queries
):
    def statements() -> int:
        with count_queries() as counted:
            assert client.get("/api/v1/impact?scope=commune:jette").status_code == 200
        return len(counted)

    for learner in learners(5, commune="jette"):
        pledge(learner, "heat-pump")
    few = statements()
    for learner in learners(7, commune="jette"):
        pledge(learner, "heat-pump")

    assert statements() == few
