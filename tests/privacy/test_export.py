"""GET /api/v1/me/export: everything held about me, from every domain."""

from tests.privacy.conftest import EMAIL, FREE_TEXTS, NAME


def test_the_export_holds_my_trace_in_every_domain(client, zorabel):
    response = client.get("/api/v1/me/export", headers=zorabel.headers)

    assert response.status_code == 200, response.json
    data = response.json
    assert data["account"]["profile"]["email"] == EMAIL
    assert data["account"]["profile"]["display_name"] == NAME
    assert "password_hash" not in data["account"]["profile"]
    progress = data["progress"]
    assert [row["course"] for row in progress["enrolments"]] == ["certifiable"]
    assert {row["lesson_slug"] for row in progress["lesson_progress"]} == {
        "lesson-0-0",
        "lesson-1-0",
        "lesson-2-0",
    }
    assert len(progress["progress_events"]) == 3
    assert [attempt["passed"] for attempt in progress["quiz_attempts"]] == [True]
    assert [row["class_id"] for row in data["classes"]["member_of"]] == [zorabel.class_id]
    circles = data["circles"]
    assert [row["circle_id"] for row in circles["memberships"]] == [zorabel.circle_id]
    assert [row["circle_id"] for row in circles["facilitating"]] == [zorabel.own_circle_id]
    assert [(row["circle_id"], row["present"]) for row in circles["attendance"]] == [
        (zorabel.circle_id, True)
    ]
    assert [row["comment"] for row in circles["feedback"]] == [FREE_TEXTS["feedback"]]
    points = data["points"]
    assert sum(row["points"] for row in points["ledger"]) > 0
    assert points["streak"]["best"] >= 1
    assert sorted(row["assertion_url"] for row in data["badges"]["assertions"]) == sorted(
        zorabel.assertion_urls
    )
    pledges = data["actions"]["pledges"]
    assert {pledge["id"] for pledge in pledges} >= set(zorabel.pledge_ids)
    assert FREE_TEXTS["custom_pledge"] in {pledge["custom_title"] for pledge in pledges}
    assert FREE_TEXTS["report_note"] in {
        report["note"] for pledge in pledges for report in pledge["reports"]
    }
    [certification] = data["certification"]["certifications"]
    assert certification["status"] == "approved"
    assert (
        certification["submissions"][0]["reflections"]["what-changed"] == (FREE_TEXTS["reflection"])
    )
    assert [review["decision"] for review in certification["reviews"]] == ["approve"]
    assert data["notifications"]["messages"], "joining a circle queues a welcome"


def test_the_export_is_mine_alone(client, zorabel, auth_headers):
    response = client.get("/api/v1/me/export", headers=auth_headers())

    assert response.status_code == 200
    assert EMAIL not in response.get_data(as_text=True)
    assert response.json["progress"]["enrolments"] == []


def test_the_export_needs_a_signed_in_user(client):
    response = client.get("/api/v1/me/export")

    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
