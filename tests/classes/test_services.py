"""What classes tells other domains (gamification, impact) through its services."""

import pytest

from learning.classes import services
from learning.errors import NotFound
from tests.classes.conftest import create_class, join, user_id


def test_member_ids_are_the_learners_not_the_teachers(app, client, school_class, learner):
    with app.app_context():
        members = services.member_ids(class_id=school_class["id"])

    assert members == [user_id(client, learner)]


def test_classes_of_a_learner_are_those_they_joined(
    app, client, teacher, school_class, learner, auth_headers
):
    other = create_class(client, auth_headers("teacher"))
    join(client, learner, other["join_code"])
    create_class(client, teacher, name="not joined")

    learner_id, teacher_id = user_id(client, learner), user_id(client, teacher)

    with app.app_context():
        joined = services.classes_of(user_id=learner_id)
        taught = services.classes_of(user_id=teacher_id)

    assert joined == sorted([school_class["id"], other["id"]])
    assert taught == []


def test_the_leaderboard_switch_is_readable(app, client, teacher, school_class):
    with app.app_context():
        before = services.leaderboard_enabled(class_id=school_class["id"])
    client.patch(
        f"/api/v1/classes/{school_class['id']}",
        json={"leaderboard_enabled": True},
        headers=teacher,
    )
    with app.app_context():
        after = services.leaderboard_enabled(class_id=school_class["id"])

    assert (before, after) == (False, True)


@pytest.mark.parametrize("ask", [services.member_ids, services.leaderboard_enabled])
def test_an_unknown_class_is_not_found(app, ask):
    with app.app_context(), pytest.raises(NotFound):
        ask(class_id=424242)
