"""Every HTML page the server renders keeps to a strict Content-Security-Policy: scripts and
styles only from this server's files, never inline, and no framing; API answers get none at
all. The /ob assertion page is checked in tests/badges/test_openbadges.py."""

import pytest

from tests.csp import BROWSER, assert_strict_csp_page, directives


@pytest.mark.parametrize(
    "path",
    [
        "/impact",
        "/impact?lang=fr",
        "/impact/schaerbeek",
        "/api/docs",
        "/ob/issuer",
        "/ob/badges/course-completed",
        "/ob/badges/carbon-literate?lang=nl",
    ],
)
def test_each_html_page_keeps_to_a_strict_csp(client, path):
    response = client.get(path, headers={"Accept": BROWSER})

    assert response.status_code == 200
    assert_strict_csp_page(client, response)


def test_the_docs_start_swagger_ui_from_a_file_of_this_server(client):
    response = client.get("/api/docs")

    assert "swagger-init.js" in response.get_data(as_text=True)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_json_answers_get_a_policy_that_allows_nothing(client):
    response = client.get("/ob/issuer")

    policy = directives(response.headers["Content-Security-Policy"])
    assert policy == {
        "default-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
    }
