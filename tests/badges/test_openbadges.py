"""Open Badges 2.0 hosted verification: the issuer, badge classes, assertions, revocation,
and one URL for machines and people alike (content negotiation)."""

import hashlib

import pytest

from tests.badges.conftest import award_of
from tests.csp import assert_strict_csp_page

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
BASE = "https://badges.example.org"


@pytest.fixture
def app(app_factory):
    """The app with a public base URL unlike the test client's host: ids must use it."""
    return app_factory(PUBLIC_BASE_URL=BASE + "/")


@pytest.fixture
def awarded(client, course, learner, complete_course):
    """The learner's course-completed award (a platform badge), as GET /me/badges shows it."""
    complete_course(learner.headers)
    return award_of(client, learner, "course-completed")


def assertion_path(award: dict) -> str:
    return award["assertion_url"].removeprefix(BASE)


def test_the_issuer_profile_names_its_revocation_list(client):
    response = client.get("/ob/issuer")

    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    profile = response.json
    assert profile["@context"] == "https://w3id.org/openbadges/v2"
    assert profile["type"] == "Profile"
    assert profile["id"] == f"{BASE}/ob/issuer"
    assert profile["revocationList"] == f"{BASE}/ob/revocations"
    assert profile["email"] and profile["url"] and profile["name"]


def test_a_badge_class_has_absolute_ids_criteria_and_an_image(client):
    badge = client.get("/ob/badges/carbon-literate?lang=fr").json

    assert badge["type"] == "BadgeClass"
    assert badge["id"] == f"{BASE}/ob/badges/carbon-literate"
    assert badge["issuer"] == f"{BASE}/ob/issuer"
    assert badge["image"] == f"{BASE}/ob/badges/carbon-literate/image.svg"
    assert badge["@language"] == "fr"
    assert (
        "assesseur" in badge["criteria"]["narrative"]
        or "évaluateur" in badge["criteria"]["narrative"]
    )


def test_an_assertion_hashes_the_recipient_email_with_a_salt(client, awarded, learner):
    response = client.get(assertion_path(awarded))

    assert response.status_code == 200
    assertion = response.json
    assert assertion["type"] == "Assertion"
    assert assertion["id"] == awarded["assertion_url"]
    assert assertion["badge"] == f"{BASE}/ob/badges/course-completed"
    assert assertion["verification"] == {"type": "hosted"}
    assert assertion["issuedOn"].endswith("+00:00")
    recipient = assertion["recipient"]
    assert recipient["type"] == "email"
    assert recipient["hashed"] is True
    expected = hashlib.sha256((learner.email + recipient["salt"]).encode()).hexdigest()
    assert recipient["identity"] == f"sha256${expected}"
    assert learner.email not in response.get_data(as_text=True)
    assert "evidence" not in assertion


def test_every_assertion_has_a_salt_of_its_own(client, person, course, complete_course):
    salts = set()
    for _ in range(2):
        someone = person()
        complete_course(someone.headers)
        award = award_of(client, someone, "course-completed")
        salts.add(client.get(assertion_path(award)).json["recipient"]["salt"])

    assert len(salts) == 2


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        (None, "application/ld+json"),
        ("*/*", "application/ld+json"),
        ("application/ld+json, application/json, image/png, image/svg+xml", "application/ld+json"),
        ("application/json", "application/json"),
        (BROWSER, "text/html"),
    ],
)
def test_the_same_url_answers_machines_and_browsers(client, awarded, accept, mimetype):
    headers = {"Accept": accept} if accept else {}

    response = client.get(assertion_path(awarded), headers=headers)

    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert "Accept" in response.headers["Vary"]


def test_the_verification_page_shows_the_badge_and_a_valid_status(client, awarded):
    response = client.get(assertion_path(awarded) + "?lang=nl", headers={"Accept": BROWSER})

    html = response.get_data(as_text=True)
    assert response.headers["Content-Language"] == "nl"
    assert 'data-status="valid"' in html
    assert "Cursus afgewerkt" in html
    assert "/ob/badges/course-completed/image.svg" in html
    assert "carbonlit" in html
    assert "<script" not in html
    assert "style=" not in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_page_shows_the_recipient_name_only_when_they_chose_to(client, awarded, learner):
    path = assertion_path(awarded)
    assert "Amina Benali" not in client.get(path, headers={"Accept": BROWSER}).get_data(
        as_text=True
    )

    response = client.patch(
        f"/api/v1/me/badges/{awarded['id']}", json={"show_name": True}, headers=learner.headers
    )

    assert response.status_code == 200
    assert response.json["show_name"] is True
    assert "Amina Benali" in client.get(path, headers={"Accept": BROWSER}).get_data(as_text=True)


def test_nobody_else_can_show_or_hide_my_name(client, awarded, person):
    response = client.patch(
        f"/api/v1/me/badges/{awarded['id']}", json={"show_name": True}, headers=person().headers
    )

    assert response.status_code == 404


def test_a_revoked_assertion_answers_410_with_its_reason(client, awarded, person):
    admin = person("admin")

    response = client.post(
        f"/api/v1/badges/assertions/{awarded['id']}/revoke",
        json={"reason": "Awarded by mistake"},
        headers=admin.headers,
    )
    assert response.status_code == 200
    assert response.json["revoked"] is True

    gone = client.get(assertion_path(awarded))
    assert gone.status_code == 410
    assert gone.mimetype == "application/ld+json"
    assert gone.json == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": awarded["assertion_url"],
        "revoked": True,
        "revocationReason": "Awarded by mistake",
    }
    listed = client.get("/ob/revocations").json
    assert listed["type"] == "RevocationList"
    assert listed["revokedAssertions"] == [
        {"id": awarded["assertion_url"], "revocationReason": "Awarded by mistake"}
    ]


def test_a_revoked_badge_shows_revoked_to_people_and_to_its_learner(
    client, awarded, person, learner
):
    client.post(
        f"/api/v1/badges/assertions/{awarded['id']}/revoke",
        json={"reason": "Awarded by mistake"},
        headers=person("admin").headers,
    )

    page = client.get(assertion_path(awarded) + "?lang=en", headers={"Accept": BROWSER})
    assert page.status_code == 410
    html = page.get_data(as_text=True)
    assert 'data-status="revoked"' in html
    assert "Awarded by mistake" in html
    mine = award_of(client, learner, "course-completed")
    assert mine["revoked"] is True
    assert mine["revocation_reason"] == "Awarded by mistake"


def test_revoking_twice_keeps_the_first_revocation(client, awarded, person):
    admin = person("admin")
    path = f"/api/v1/badges/assertions/{awarded['id']}/revoke"
    first = client.post(path, json={"reason": "First reason"}, headers=admin.headers).json

    again = client.post(path, json={"reason": "Second reason"}, headers=admin.headers)

    assert again.status_code == 200
    assert again.json["revocation_reason"] == "First reason"
    assert again.json["revoked_at"] == first["revoked_at"]


def test_only_admins_revoke(client, awarded, person, learner):
    for headers in (learner.headers, person("assessor").headers):
        response = client.post(
            f"/api/v1/badges/assertions/{awarded['id']}/revoke",
            json={"reason": "No"},
            headers=headers,
        )
        assert response.status_code == 403
    assert client.get(assertion_path(awarded)).status_code == 200


def test_unknown_documents_are_problem_json(client, person):
    for path in ("/ob/assertions/nope", "/ob/badges/nope", "/ob/badges/nope/image.svg"):
        response = client.get(path, headers={"Accept": BROWSER})
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"
    response = client.post(
        "/api/v1/badges/assertions/nope/revoke",
        json={"reason": "x"},
        headers=person("admin").headers,
    )
    assert response.status_code == 404


def test_the_badge_page_and_the_issuer_page_are_readable(client):
    badge = client.get("/ob/badges/carbon-literate?lang=fr", headers={"Accept": BROWSER})
    issuer = client.get("/ob/issuer?lang=en", headers={"Accept": BROWSER})

    assert badge.status_code == issuer.status_code == 200
    assert "Carbon Literate" in badge.get_data(as_text=True)
    assert "badges@example.org" in issuer.get_data(as_text=True)


def test_my_badges_list_what_the_contract_names(client, awarded, learner):
    item = client.get("/api/v1/me/badges", headers=learner.headers).json["items"][0]

    assert {"badge", "issued_on", "assertion_url", "revoked"} <= set(item)
    assert item["badge"]["slug"] == "course-completed"
    assert item["assertion_url"].startswith(f"{BASE}/ob/assertions/")
    assert item["revoked"] is False


def test_the_badge_list_shows_every_platform_badge_with_its_criteria(client):
    response = client.get("/api/v1/badges?per_page=100&lang=en")

    assert response.status_code == 200
    slugs = [item["slug"] for item in response.json["items"]]
    assert slugs[0] == "carbon-literate"
    assert response.json["total"] == len(slugs) >= 9
    first = response.json["items"][0]
    assert first["criteria"].startswith("Complete a certifiable course")
    assert first["rule"] == {"type": "certification_approved"}


def test_the_revocation_list_is_json_even_for_browsers(client):
    assert client.get("/ob/revocations").mimetype == "application/ld+json"
    assert client.get("/ob/revocations", headers={"Accept": BROWSER}).mimetype == (
        "application/json"
    )


def test_the_verification_page_keeps_to_a_strict_csp(client, awarded):
    response = client.get(assertion_path(awarded), headers={"Accept": BROWSER})

    assert response.status_code == 200
    assert_strict_csp_page(client, response)
