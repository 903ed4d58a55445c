"""Calendars: a circle's iCalendar feed and my secret personal feed, in Brussels time."""

from datetime import timedelta

import icalendar

from tests.circles.conftest import FIRST_MEETING


def _calendar(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(response.data)


def _path(url: str) -> str:
    """A feed URL as the test client requests it, without the public base URL."""
    return url.removeprefix("http://127.0.0.1:5000")


def _events(calendar: icalendar.Calendar) -> list:
    return sorted(calendar.walk("VEVENT"), key=lambda event: event.decoded("dtstart"))


def test_a_circle_calendar_has_its_meetings_in_brussels_time(client, circle):
    calendar = _calendar(client.get(f"/api/v1/circles/{circle['id']}/calendar.ics"))

    meetings = _events(calendar)
    assert [event["summary"] for event in meetings] == [
        f"Climat à la bibliothèque ({number}/4)" for number in (1, 2, 3, 4)
    ]
    assert {event["dtstart"].params["TZID"] for event in meetings} == {"Europe/Brussels"}
    assert [timezone.tz_name for timezone in calendar.timezones] == ["Europe/Brussels"]
    assert meetings[0]["location"] == "Bibliothèque d'Ixelles, Rue Mercelis 19"
    assert meetings[0].decoded("dtend") - meetings[0].decoded("dtstart") == timedelta(minutes=90)


def test_a_weekly_meeting_stays_at_seven_across_the_change_to_summer_time(client, circle):
    text = client.get(f"/api/v1/circles/{circle['id']}/calendar.ics").get_data(as_text=True)
    meetings = _events(icalendar.Calendar.from_ical(text))

    assert "DTSTART;TZID=Europe/Brussels:20260324T190000" in text
    assert "DTSTART;TZID=Europe/Brussels:20260331T190000" in text
    assert [event.decoded("dtstart").strftime("%H:%M") for event in meetings] == ["19:00"] * 4
    assert [event.decoded("dtstart").utcoffset().seconds // 3600 for event in meetings] == [
        1,
        1,
        2,
        2,
    ]


def test_a_weekly_meeting_stays_at_seven_across_the_change_back_to_winter_time(client, published):
    autumn = published(first_meeting="2026-10-13T19:00:00+02:00", meetings=3)

    calendar = _calendar(client.get(f"/api/v1/circles/{autumn['id']}/calendar.ics"))

    starts = [event.decoded("dtstart") for event in _events(calendar)]
    assert [start.isoformat() for start in starts] == [
        "2026-10-13T19:00:00+02:00",
        "2026-10-20T19:00:00+02:00",
        "2026-10-27T19:00:00+01:00",
    ]
    assert [m["starts_at"] for m in autumn["meetings"]] == [start.isoformat() for start in starts]


def test_uids_are_stable_and_a_moved_meeting_raises_its_sequence(
    client, circle, facilitator, clock
):
    url = f"/api/v1/circles/{circle['id']}/calendar.ics"
    before = _events(_calendar(client.get(url)))
    clock.shift(timedelta(hours=1))

    client.patch(
        f"/api/v1/circles/{circle['id']}/meetings/2",
        json={"starts_at": "2026-03-26T19:00:00+01:00"},
        headers=facilitator.headers,
    )
    after = _events(_calendar(client.get(url)))

    assert [str(e["uid"]) for e in after] == [str(e["uid"]) for e in before]
    assert len({str(e["uid"]) for e in after}) == 4
    assert [e["sequence"] for e in before] == [0, 0, 0, 0]
    assert [e["sequence"] for e in after] == [0, 1, 0, 0]
    assert after[1].decoded("dtstart").isoformat() == "2026-03-26T19:00:00+01:00"
    assert after[1].decoded("dtstamp") > before[1].decoded("dtstamp")


def test_the_online_link_is_in_the_calendar_of_members_only(client, published, person, join):
    online = published(commune="online", venue=None, online_url="https://meet.example.org/c")
    member = person("Mia")
    join(online["id"], member)
    url = f"/api/v1/circles/{online['id']}/calendar.ics"

    public = _events(_calendar(client.get(url)))[0]
    private = _events(_calendar(client.get(url, headers=member.headers)))[0]

    assert "meet.example.org" not in public.to_ical().decode()
    assert private["location"] == "https://meet.example.org/c"


def test_a_draft_calendar_is_for_its_facilitators_only(client, propose, facilitator):
    draft = propose()
    url = f"/api/v1/circles/{draft['id']}/calendar.ics"

    assert client.get(url).status_code == 404
    assert client.get(url, headers=facilitator.headers).status_code == 200


def test_my_feed_has_all_my_circles_and_needs_no_bearer_token(
    client, published, facilitator, person, join
):
    tuesdays = published()
    thursdays = published(by=person("Saar"), first_meeting="2026-03-19T18:30:00+01:00")
    published(by=person("Owen"), first_meeting="2026-03-20T18:30:00+01:00")
    mia = person("Mia")
    join(thursdays["id"], mia)
    join(tuesdays["id"], mia)

    feed = client.get("/api/v1/me/circles/calendar", headers=mia.headers)
    path = _path(feed.json["url"])
    calendar = _calendar(client.get(path))

    assert feed.status_code == 200
    assert feed.json["webcal_url"].startswith("webcal://127.0.0.1:5000/api/v1/calendar/")
    assert len(_events(calendar)) == 8
    assert _events(calendar)[0].decoded("dtstart") == FIRST_MEETING
    assert client.get("/api/v1/me/circles/calendar", headers=mia.headers).json == feed.json
    own = client.get("/api/v1/me/circles/calendar", headers=facilitator.headers).json
    assert len(_events(_calendar(client.get(_path(own["url"]))))) == 4


def test_rotating_my_feed_retires_the_old_address(client, circle, person, join):
    mia = person("Mia")
    join(circle["id"], mia)
    old = client.get("/api/v1/me/circles/calendar", headers=mia.headers).json["url"]

    rotated = client.post("/api/v1/me/circles/calendar/rotate", headers=mia.headers)

    assert rotated.status_code == 200
    assert rotated.json["url"] != old
    assert client.get(_path(old)).status_code == 404
    assert client.get(_path(rotated.json["url"])).status_code == 200


def test_an_unknown_feed_is_not_found_as_problem_json(client):
    response = client.get("/api/v1/calendar/not-a-token.ics")

    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
