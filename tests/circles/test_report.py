"""The end-of-circle report, and who sees whom: an erased account disappears from every list."""

import uuid
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from learning.accounts.models import User
from learning.extensions import db
from tests.circles.conftest import T0, meeting_time


@pytest.fixture
def ran_circle(client, published, facilitator, person, join, attendance, clock):
    """A two-meeting circle on module-0: Mia came twice, Noor once; both rated meeting 1."""
    circle = published(meetings=2, modules=["module-0"])
    mia, noor = person("Mia"), person("Noor")
    join(circle["id"], mia)
    join(circle["id"], noor)
    url = f"/api/v1/circles/{circle['id']}/meetings"
    clock.move_to(meeting_time(1).replace(hour=21))
    attendance(circle["id"], 1, mia, noor)
    client.post(f"{url}/1/feedback", json={"rating": 5, "comment": "Super"}, headers=mia.headers)
    client.post(f"{url}/1/feedback", json={"rating": 2}, headers=noor.headers)
    client.put(f"{url}/1/reflection", json={"text": "Trop long"}, headers=facilitator.headers)
    clock.move_to(meeting_time(2).replace(hour=21))
    attendance(circle["id"], 2, mia)
    return circle, mia, noor


def _complete(client, who, *lessons):
    events = [
        {
            "id": str(uuid.uuid4()),
            "course": "course",
            "lesson": lesson,
            "verb": "completed",
            "at": (T0 + timedelta(minutes=n)).isoformat(),
        }
        for n, lesson in enumerate(lessons)
    ]
    response = client.post("/api/v1/progress/events", json={"events": events}, headers=who.headers)
    assert response.status_code == 200, response.json


def test_the_report_shows_attendance_ratings_reflections_and_progress(
    client, ran_circle, facilitator
):
    circle, mia, noor = ran_circle
    _complete(client, mia, "lesson-0-0", "lesson-0-1", "lesson-1-0")
    _complete(client, noor, "lesson-0-0")

    response = client.get(f"/api/v1/circles/{circle['id']}/report", headers=facilitator.headers)

    assert response.status_code == 200, response.json
    report = response.json
    assert (report["status"], report["meetings_count"], report["members_count"]) == (
        "finished",
        2,
        2,
    )
    first, second = report["meetings"]
    assert (first["present"], second["present"]) == (2, 1)
    assert first["ratings"] == {
        "count": 2,
        "average": 3.5,
        "distribution": {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1},
    }
    assert first["comments"] == ["Super"]
    assert first["reflection"] == "Trop long"
    assert second["ratings"]["count"] == 0
    assert second["ratings"]["average"] is None
    people = {p["display_name"]: p for p in report["people"]}
    assert (people["Mia"]["attended"], people["Mia"]["meetings"]) == (2, [1, 2])
    assert (people["Noor"]["attended"], people["Noor"]["meetings"]) == (1, [1])
    (mine,) = people["Mia"]["progress"]
    assert (mine["module"], mine["percent"], mine["state"]) == ("module-0", 100, "done")
    assert datetime.fromisoformat(mine["completed_at"]) == T0 + timedelta(minutes=1)
    assert people["Noor"]["progress"][0]["percent"] == 50
    assert report["ratings"]["count"] == 2


def test_the_report_of_a_whole_course_circle_shows_course_progress(
    client, circle, facilitator, person, join
):
    mia = person("Mia")
    join(circle["id"], mia)
    _complete(client, mia, "lesson-0-0")

    report = client.get(f"/api/v1/circles/{circle['id']}/report", headers=facilitator.headers).json

    assert report["people"][0]["progress"][0]["module"] is None
    assert report["people"][0]["progress"][0]["percent"] == 25


def test_the_report_is_for_facilitators_only(client, ran_circle, person):
    circle, mia, _ = ran_circle
    url = f"/api/v1/circles/{circle['id']}/report"

    assert client.get(url, headers=mia.headers).status_code == 403
    assert client.get(url, headers=person("Olivier").headers).status_code == 403
    assert client.get(url).status_code == 401


def test_facilitators_see_names_and_nothing_more(client, ran_circle, facilitator):
    circle, _, _ = ran_circle

    seen = client.get(f"/api/v1/circles/{circle['id']}", headers=facilitator.headers).json
    report = client.get(f"/api/v1/circles/{circle['id']}/report", headers=facilitator.headers).json

    assert all(set(member) == {"id", "display_name"} for member in seen["members"])
    assert "@" not in str(seen) + str(report)


def test_an_erased_account_disappears_from_every_list_and_the_counts_stay(
    app, client, ran_circle, facilitator
):
    circle, _, noor = ran_circle
    with app.app_context():
        db.session.execute(sa.delete(User).where(User.id == noor.id))
        db.session.commit()

    seen = client.get(f"/api/v1/circles/{circle['id']}", headers=facilitator.headers).json
    report = client.get(f"/api/v1/circles/{circle['id']}/report", headers=facilitator.headers).json
    present = client.get(
        f"/api/v1/circles/{circle['id']}/meetings/1/attendance", headers=facilitator.headers
    ).json

    assert [m["display_name"] for m in seen["members"]] == ["Mia"]
    assert seen["members_count"] == 1
    assert [p["display_name"] for p in report["people"]] == ["Mia"]
    assert [m["display_name"] for m in present["members"]] == ["Mia"]
    assert report["meetings"][0]["present"] == 2
    assert report["meetings"][0]["ratings"]["count"] == 2


def test_the_report_shows_the_actions_members_pledged(client, ran_circle, facilitator):
    circle, mia, _ = ran_circle
    pledged = client.post(
        "/api/v1/me/pledges",
        json={"custom": {"title": "Cycle to work", "kg_co2e_per_year": 300}},
        headers=mia.headers,
    )
    assert pledged.status_code == 201, pledged.json
    client.post(
        f"/api/v1/me/pledges/{pledged.json['id']}/reports",
        json={"status": "ongoing"},
        headers=mia.headers,
    )

    report = client.get(f"/api/v1/circles/{circle['id']}/report", headers=facilitator.headers).json

    people = {p["display_name"]: p for p in report["people"]}
    (action,) = people["Mia"]["actions"]
    assert action["title"] == "Cycle to work"
    assert action["self_estimated"] is True
    assert action["status"] == "ongoing"
    assert action["kg_co2e_per_year"] == 300
    assert people["Noor"]["actions"] == []
