"""Each rule type awards its badge when its domain event says so, and only once."""

import uuid

import sqlalchemy as sa

from learning import events
from learning.actions.catalogue import load_catalogue
from learning.badges.models import BadgeAssertion
from learning.extensions import db
from tests.badges.conftest import completion, days_ago, fire, held


def test_completing_a_course_awards_its_badge_and_the_any_course_badge(
    client, course, platform_badges, learner, complete_course
):
    complete_course(learner.headers)

    assert {"any-finisher", "finisher", "first-two-modules"} <= set(held(client, learner))


def test_a_course_badge_waits_for_the_whole_course(client, course, platform_badges, learner, sync):
    sync(learner.headers, completion("lesson-0-0"), completion("lesson-2-0"))

    assert held(client, learner) == []


def test_a_module_set_is_awarded_when_its_last_module_is_completed(
    client, course, platform_badges, learner, sync
):
    sync(learner.headers, completion("lesson-0-0"), completion("lesson-2-0"))
    assert "first-two-modules" not in held(client, learner)

    sync(learner.headers, completion("lesson-1-0"))

    assert "first-two-modules" in held(client, learner)


def test_a_badge_is_awarded_once_however_often_its_event_comes(
    app, client, course, platform_badges, learner, complete_course
):
    announced = []

    def listen(_sender, **arguments):
        announced.append(arguments["badge"])

    events.badge_awarded.connect(listen)
    try:
        complete_course(learner.headers)
        complete_course(learner.headers)
        fire(
            app,
            events.course_completed,
            user_id=learner.id,
            course="generated",
            version="1.0.0",
            at=days_ago(0),
        )
    finally:
        events.badge_awarded.disconnect(listen)

    badges = held(client, learner)
    assert {"any-finisher", "finisher", "first-two-modules"} <= set(badges)
    assert len(badges) == len(set(badges))
    assert sorted(announced) == sorted(badges)


def test_attending_meetings_awards_at_the_count(app, client, platform_badges, learner):
    def attend(circle_id, meeting):
        fire(
            app,
            events.circle_meeting_attended,
            user_id=learner.id,
            circle_id=circle_id,
            course="generated",
            meeting=meeting,
            at=days_ago(1),
        )

    attend(7, 1)
    attend(7, 1)
    assert "two-meetings" not in held(client, learner)

    attend(7, 2)
    attend(8, 1)

    assert held(client, learner).count("two-meetings") == 1


def test_facilitating_a_circle_to_its_end_awards_the_facilitator_not_the_members(
    app, client, platform_badges, learner, person
):
    member = person()
    for user, role in ((learner, "facilitator"), (member, "member")):
        fire(
            app,
            events.circle_completed,
            user_id=user.id,
            circle_id=7,
            course="generated",
            role=role,
            at=days_ago(1),
        )

    assert "facilitator" in held(client, learner)
    assert "facilitator" not in held(client, member)


def test_meeting_a_challenge_awards_the_contributors_once(app, client, platform_badges, learner):
    for challenge in (3, 3, 4):
        fire(
            app,
            events.challenge_met,
            user_id=learner.id,
            challenge=challenge,
            scope="commune:ixelles",
            points=50,
            at=days_ago(1),
        )

    assert held(client, learner).count("team") == 1


def test_reporting_pledges_done_awards_at_the_count(client, platform_badges, learner):
    slugs = list(load_catalogue().actions)[:2]
    pledges = []
    for slug in slugs:
        response = client.post("/api/v1/me/pledges", json={"action": slug}, headers=learner.headers)
        assert response.status_code == 201, response.json
        pledges.append(response.json["id"])

    def report(pledge, status="done"):
        response = client.post(
            f"/api/v1/me/pledges/{pledge}/reports",
            json={"status": status, "id": str(uuid.uuid4())},
            headers=learner.headers,
        )
        assert response.status_code in (200, 201), response.json

    report(pledges[0])
    assert "two-pledges" not in held(client, learner)

    report(pledges[1])

    assert held(client, learner).count("two-pledges") == 1


def test_reaching_a_points_level_awards_its_badge(
    client, course, platform_badges, learner, sync, complete_course
):
    sync(learner.headers, completion("lesson-0-0", at=days_ago(0)))
    assert client.get("/api/v1/me/points", headers=learner.headers).json["total"] < 100
    assert "sprout" not in held(client, learner)

    complete_course(learner.headers, at=days_ago(0))

    assert client.get("/api/v1/me/points", headers=learner.headers).json["total"] >= 100
    assert held(client, learner).count("sprout") == 1


def test_gamification_announcing_points_evaluates_the_level_again(
    app, client, course, platform_badges, learner, complete_course
):
    """A level reached earlier (the badge arriving later, say) is awarded on the next award."""
    complete_course(learner.headers, at=days_ago(0))
    with app.app_context():
        db.session.execute(sa.delete(BadgeAssertion).where(BadgeAssertion.badge_slug == "sprout"))
        db.session.commit()

    fire(
        app,
        events.points_awarded,
        user_id=learner.id,
        rule="correction",
        subject="x",
        points=0,
        at=days_ago(0),
    )

    assert held(client, learner).count("sprout") == 1


def test_keeping_the_weekly_goal_for_weeks_awards_the_streak_badge(
    app, client, course, platform_badges, learner, sync
):
    app.config["STREAK_WEEKLY_GOAL_DAYS"] = 1
    sync(learner.headers, completion("lesson-0-0", at=days_ago(7)))
    assert "two-weeks" not in held(client, learner)

    sync(learner.headers, completion("lesson-1-0", at=days_ago(0)))

    assert "two-weeks" in held(client, learner)
