"""DELETE /api/v1/me: my name, email and words go everywhere; anonymous figures stay true."""

from tests.conftest import PASSWORD
from tests.privacy.conftest import COMMUNE, EMAIL, FREE_TEXTS, NAME


def erase(client, headers, password=PASSWORD):
    return client.delete("/api/v1/me", json={"password": password}, headers=headers)


def figures(client, trace) -> dict:
    """What others see that counted Zorabel: impact, and the head counts and ratings of the
    circle she came to (in its facilitator's report)."""
    report = client.get(
        f"/api/v1/circles/{trace.circle_id}/report", headers=trace.facilitator_headers
    )
    assert report.status_code == 200, report.json
    meetings = client.get(f"/api/v1/circles/{trace.circle_id}/meetings")
    return {
        "region": client.get("/api/v1/impact?scope=region").json,
        "commune": client.get(f"/api/v1/impact?scope=commune:{COMMUNE}").json,
        "course": client.get("/api/v1/impact?scope=course:certifiable").json,
        "present": [meeting["present"] for meeting in report.json["meetings"]],
        "ratings": report.json["ratings"],
        "meetings": meetings.json,
    }


def test_a_wrong_password_erases_nothing(client, zorabel, dump_tables):
    before = dump_tables()

    response = erase(client, zorabel.headers, password="not my password at all")

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert set(response.json["errors"]) == {"password"}
    assert dump_tables() == before
    assert client.get("/api/v1/me", headers=zorabel.headers).json["email"] == EMAIL


def test_erasure_needs_the_password_and_a_signed_in_user(client, zorabel):
    assert client.delete("/api/v1/me", json={"password": PASSWORD}).status_code == 401
    missing = client.delete("/api/v1/me", json={}, headers=zorabel.headers)
    assert missing.status_code == 422
    assert set(missing.json["errors"]) == {"password"}


def test_after_erasure_nobody_signs_in_old_tokens_fail_and_the_email_is_free(client, zorabel):
    assert erase(client, zorabel.headers).status_code == 204

    login = client.post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert login.status_code == 401
    assert client.get("/api/v1/me", headers=zorabel.headers).status_code == 401
    assert client.get("/api/v1/me/export", headers=zorabel.headers).status_code == 401
    refresh = client.post(
        "/api/v1/auth/refresh", headers={"Authorization": f"Bearer {zorabel.refresh_token}"}
    )
    assert refresh.status_code == 401
    assert erase(client, zorabel.headers).status_code == 401
    again = {"email": EMAIL, "password": PASSWORD, "display_name": NAME, "locale": "en"}
    assert client.post("/api/v1/auth/register", json=again).status_code == 201


def test_no_table_keeps_my_email_my_name_or_my_words(client, zorabel, dump_tables):
    traces = [EMAIL, NAME, *FREE_TEXTS.values()]
    everything = str(dump_tables()).casefold()
    assert all(trace.casefold() in everything for trace in traces), "the scenario left them"

    assert erase(client, zorabel.headers).status_code == 204

    everything = str(dump_tables()).casefold()
    assert [trace for trace in traces if trace.casefold() in everything] == []
    assert "zorabel" not in everything
    assert "quintessa" not in everything


def test_impact_and_circle_figures_stay_the_same(client, zorabel):
    before = figures(client, zorabel)
    assert before["region"]["withheld"] is False
    assert before["commune"]["withheld"] is False
    assert before["course"]["withheld"] is False
    assert before["present"][0] == 1
    assert before["ratings"]["count"] == 1

    assert erase(client, zorabel.headers).status_code == 204

    assert figures(client, zorabel) == before


def test_erasure_takes_me_out_of_my_class_and_circles(client, zorabel):
    assert erase(client, zorabel.headers).status_code == 204

    members = client.get(
        f"/api/v1/classes/{zorabel.class_id}/members", headers=zorabel.teacher_headers
    )
    assert members.status_code == 200, members.json
    assert members.json["items"] == []
    report = client.get(
        f"/api/v1/circles/{zorabel.circle_id}/report", headers=zorabel.facilitator_headers
    ).json
    assert report["members_count"] == 0
    assert report["people"] == []
    assert report["meetings"][0]["comments"] == []
    own = client.get(f"/api/v1/circles/{zorabel.own_circle_id}").json
    assert own["facilitators"] == []


def test_my_badges_are_revoked_and_listed_as_revoked(client, zorabel):
    assert len(zorabel.assertion_urls) >= 2, "a course badge and the certificate's"
    paths = [url[url.index("/ob/") :] for url in zorabel.assertion_urls]
    assert all(client.get(path).status_code == 200 for path in paths)

    assert erase(client, zorabel.headers).status_code == 204

    for path, url in zip(paths, zorabel.assertion_urls, strict=True):
        gone = client.get(path)
        assert gone.status_code == 410
        assert gone.json["revoked"] is True
        assert gone.json["id"] == url
        assert "erased" in gone.json["revocationReason"]
    revoked = {row["id"] for row in client.get("/ob/revocations").json["revokedAssertions"]}
    assert revoked == set(zorabel.assertion_urls)


def test_the_last_admin_cannot_erase_themselves(client, signed_in, dump_tables):
    _, headers, _ = signed_in("admin")
    before = dump_tables()

    response = erase(client, headers)

    assert response.status_code == 409
    assert dump_tables() == before


def test_my_freed_seat_goes_to_the_first_on_the_waitlist(client, zorabel, auth_headers):
    circle = f"/api/v1/circles/{zorabel.circle_id}"
    assert client.post(f"{circle}/signup", headers=auth_headers()).json["status"] == "joined"
    shrunk = client.patch(circle, json={"capacity": 2}, headers=zorabel.facilitator_headers)
    assert shrunk.status_code == 200, shrunk.json
    waiting = auth_headers(display_name="Noor")
    assert client.post(f"{circle}/signup", headers=waiting).json["status"] == "waitlisted"

    assert erase(client, zorabel.headers).status_code == 204

    assert client.post(f"{circle}/signup", headers=waiting).json["status"] == "joined"
