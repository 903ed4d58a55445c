"""The points ledger: domain events pay once per subject, within daily caps, in their own
transaction."""

import pytest
import sqlalchemy as sa
from blinker import Namespace

from learning import events
from learning.accounts.models import User
from learning.actions import services as actions
from learning.circles import services as circles
from learning.extensions import db
from learning.gamification import handlers, services
from learning.gamification.models import LedgerEntry
from tests.conftest import make_app
from tests.gamification.conftest import brussels, completed, good_deed


def test_progress_events_pay_their_rules(course, person, sync, pass_quiz, points, ledger):
    ana = person("Ana")

    sync(ana, completed("lesson-0-0"), completed("lesson-0-1"))
    pass_quiz(ana, "quiz-1")

    assert ledger(ana) == [
        ("lesson_completed", "course/lesson-0-0", 10),
        ("lesson_completed", "course/lesson-0-1", 10),
        ("module_completed", "course/module-0", 30),
        ("quiz_passed", "course/quiz-1", 20),
    ]
    assert points(ana)["total"] == 70


def test_resending_a_batch_or_completing_again_never_pays_twice(
    course, person, sync, points, ledger
):
    ana = person("Ana")
    batch = [completed("lesson-0-0"), completed("lesson-0-1")]
    sync(ana, *batch)

    sync(ana, *batch)
    sync(ana, completed("lesson-0-0"))

    assert len(ledger(ana, rule="lesson_completed")) == 2
    assert points(ana)["total"] == 2 * 10 + 30


def test_a_quiz_pays_its_first_pass_only(course, person, sync, pass_quiz, ledger):
    ana = person("Ana")

    pass_quiz(ana, "quiz-1")
    pass_quiz(ana, "quiz-1")

    assert ledger(ana, rule="quiz_passed") == [("quiz_passed", "course/quiz-1", 20)]


def test_the_same_event_sent_again_pays_once(person, deed, ledger, points):
    ana = person("Ana")

    deed(ana, subject="tree")
    deed(ana, subject="tree")

    assert ledger(ana) == [("good_deed", "tree", 10)]
    assert points(ana)["total"] == 10


def test_awards_over_the_daily_cap_are_recorded_with_zero_points(person, deed, app):
    ana = person("Ana")

    for subject in ("a", "b", "c", "d"):
        deed(ana, subject=subject)

    with app.app_context():
        rows = db.session.scalars(sa.select(LedgerEntry).order_by(LedgerEntry.id)).all()
        assert [(row.points, row.capped) for row in rows] == [
            (10, False),
            (10, False),
            (10, False),
            (0, True),
        ]
        assert rows[-1].reason == "daily cap of 3 reached"


def test_a_capped_subject_does_not_pay_later(person, deed, clock, ledger):
    ana = person("Ana")
    for subject in ("a", "b", "c", "d"):
        deed(ana, subject=subject)
    clock.shift(86400)

    deed(ana, subject="d")
    deed(ana, subject="e")

    assert ledger(ana)[3:] == [("good_deed", "d", 0), ("good_deed", "e", 10)]


def test_the_cap_counts_brussels_days(person, deed, ledger):
    ana = person("Ana")
    late = [brussels(2026, 3, 2, 23, 30) for _ in range(3)]
    early = brussels(2026, 3, 3, 0, 30)

    for number, at in enumerate([*late, early]):
        deed(ana, subject=str(number), at=at)

    assert [row[2] for row in ledger(ana)] == [10, 10, 10, 10]


def test_an_award_rolls_back_with_the_transaction_that_earned_it(app, person, ledger):
    ana = person("Ana")

    with app.app_context():
        good_deed.send("tests", user_id=ana.id, deed="undone", at=None)
        db.session.rollback()

    assert ledger(ana) == []


def test_an_event_without_a_rule_pays_nothing(app, person, ledger):
    ana = person("Ana")
    hugged = Namespace().signal("tree_hugged")
    handlers.connect(hugged)
    app.config["POINTS_RULES"] = {"good_deed": None}
    handlers.init_app(app)

    with app.app_context():
        hugged.send("tests", user_id=ana.id, tree="oak", at=None)
        good_deed.send("tests", user_id=ana.id, deed="tree", at=None)
        db.session.commit()

    assert ledger(ana) == []


def test_each_new_ledger_row_is_announced_once_it_counts(client, person, admin, deed):
    ana = person("Ana")
    announced = []

    def receive(_sender, **kwargs):
        learner = db.session.get(User, kwargs["user_id"])
        total = services.my_points(user=learner, language="en")["total"]
        announced.append((kwargs["rule"], kwargs["subject"], kwargs["points"], total))

    events.points_awarded.connect(receive)
    try:
        deed(ana, subject="tree")
        deed(ana, subject="tree")
        client.post(
            f"/api/v1/users/{ana.id}/points/corrections",
            json={"id": "6d1f4a52-3c3b-4f5e-9a2e-2a4b0f6f1c11", "points": 5, "reason": "Bonus"},
            headers=admin.headers,
        )
    finally:
        events.points_awarded.disconnect(receive)

    assert announced == [
        ("good_deed", "tree", 10, 10),
        ("correction", "6d1f4a52-3c3b-4f5e-9a2e-2a4b0f6f1c11", 5, 15),
    ]


def test_connecting_twice_leaves_one_receiver(app):
    handlers.init_app(app)
    handlers.connect(good_deed)

    assert len(good_deed.receivers) == 1
    assert len(events.lesson_completed.receivers) >= 1
    before = len(events.lesson_completed.receivers)
    handlers.init_app(app)
    assert len(events.lesson_completed.receivers) == before


def test_every_domain_event_has_a_receiver(app):
    signals = [value for value in vars(events).values() if hasattr(value, "receivers")]

    assert signals
    assert all(signal.receivers for signal in signals)


def test_rules_and_their_caps_are_published(client):
    response = client.get("/api/v1/points/rules?lang=fr")

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr"
    rules = {rule["event"]: rule for rule in response.json["items"]}
    assert rules["lesson_completed"] == {
        "event": "lesson_completed",
        "label": "Leçon terminée",
        "points": 10,
        "daily_cap": 20,
        "metric": "lessons_completed",
    }
    assert "lessons_completed" in response.json["metrics"]
    assert response.json["metrics"][-1] == "points"


def test_rules_are_configured_by_points_rules(app_factory):
    app = app_factory(
        POINTS_RULES={"lesson_completed": {"points": 3, "daily_cap": None}, "quiz_passed": None}
    )

    answer = app.test_client().get("/api/v1/points/rules", headers={"Accept-Language": "en-GB"})

    rules = {rule["event"]: rule for rule in answer.json["items"]}

    assert (rules["lesson_completed"]["points"], rules["lesson_completed"]["daily_cap"]) == (
        3,
        None,
    )
    assert rules["lesson_completed"]["label"] == "Lesson completed"
    assert "quiz_passed" not in rules


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"lesson_completed": {"points": "many"}}, "lesson_completed is not valid"),
        ({"tree_planted": {"points": 5}}, "tree_planted is not valid"),
        ({"tree_planted": {"points": 5, "subject": "always"}}, "Name at least one event argument"),
        ({"challenge_met": {"points": 5, "subject": "{challenge}"}}, "gamification itself"),
        ({"points_awarded": {"points": 5, "subject": "{rule}"}}, "gamification itself"),
        ({"lesson_completed": {"metric": "points"}}, "points is the metric of all points"),
    ],
)
def test_a_wrong_rule_stops_the_app_from_starting(database_url, rules, message):
    with pytest.raises(RuntimeError, match=message):
        make_app(database_url, POINTS_RULES=rules)


def test_a_rule_naming_an_argument_the_event_lacks_is_a_clear_error(app, person):
    ana = person("Ana")
    app.config["POINTS_RULES"] = {"good_deed": {"points": 1, "subject": "{tree}"}}
    handlers.init_app(app)

    with app.app_context(), pytest.raises(RuntimeError, match="names 'tree' in its subject"):
        good_deed.send("tests", user_id=ana.id, deed="x", at=None)


def test_attending_a_circle_meeting_pays_once(app, person, circle, clock, ledger):
    fatima, ana = person("Fatima"), person("Ana")
    circle_id = circle(fatima, ana)
    clock.move_to(brussels(2026, 3, 17, 21, 0))

    with app.app_context():
        leader = db.session.get(User, fatima.id)
        for _ in range(2):
            circles.record_attendance(user=leader, circle_id=circle_id, number=1, present=[ana.id])

    assert ledger(ana) == [("circle_meeting_attended", f"{circle_id}/1", 30)]


def test_pledging_an_action_and_doing_it_pay_once_each(app, person, ledger):
    ana = person("Ana")
    custom = {"title": "Cycle to school", "kind": "personal", "kg_co2e_per_year": 120}

    with app.app_context():
        learner = db.session.get(User, ana.id)
        pledge = actions.pledge_action(user=learner, preferred=["en"], custom=custom)
        for _ in range(2):
            actions.report_progress(
                user=learner, pledge_id=pledge["id"], status="done", preferred=["en"]
            )

    assert ledger(ana) == [
        ("action_pledged", str(pledge["id"]), 20),
        ("action_reported_done", str(pledge["id"]), 50),
    ]
