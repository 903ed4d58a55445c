"""Reading and changing my profile."""


def test_me_shows_the_contract_fields(client, auth_headers):
    response = client.get("/api/v1/me", headers=auth_headers(display_name="Jan"))

    assert response.status_code == 200
    assert {
        "id",
        "email",
        "display_name",
        "locale",
        "commune",
        "roles",
        "leaderboard_visible",
    } <= set(response.json)
    assert response.json["display_name"] == "Jan"


def test_me_needs_a_token(client):
    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.content_type == "application/problem+json"


def test_patch_changes_only_what_is_sent(client, auth_headers):
    headers = auth_headers(display_name="Jan", locale="nl")

    response = client.patch(
        "/api/v1/me", json={"commune": "ixelles", "leaderboard_visible": True}, headers=headers
    )

    assert response.status_code == 200
    assert response.json["commune"] == "ixelles"
    assert response.json["leaderboard_visible"] is True
    assert response.json["display_name"] == "Jan"
    assert client.get("/api/v1/me", headers=headers).json["commune"] == "ixelles"


def test_commune_can_be_cleared(client, auth_headers):
    headers = auth_headers()
    client.patch("/api/v1/me", json={"commune": "jette"}, headers=headers)

    response = client.patch("/api/v1/me", json={"commune": None}, headers=headers)

    assert response.json["commune"] is None


def test_patch_refuses_unknown_fields_and_values(client, auth_headers):
    response = client.patch(
        "/api/v1/me", json={"locale": "de", "roles": ["admin"]}, headers=auth_headers()
    )

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"locale", "roles"}


def test_email_cannot_be_changed_through_patch(client, auth_headers):
    response = client.patch("/api/v1/me", json={"email": "x@example.org"}, headers=auth_headers())

    assert response.status_code == 422
