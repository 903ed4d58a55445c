"""Requests racing on one class keep it consistent (PostgreSQL)."""

import threading

import pytest
import sqlalchemy as sa

from learning.classes.models import ClassMember, ClassTeacher
from learning.extensions import db
from tests.classes.conftest import user_id

pytestmark = pytest.mark.postgresql_only


def _at_once(app, *requests):
    """Send each (method, path, json, headers) from its own thread at the same moment."""
    barrier = threading.Barrier(len(requests))
    answers = [None] * len(requests)

    def send(index, method, path, body, headers):
        client = app.test_client()
        barrier.wait()
        answers[index] = getattr(client, method)(path, json=body, headers=headers).status_code

    threads = [
        threading.Thread(target=send, args=(index, *request))
        for index, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_one_learner_joining_from_many_devices_joins_once(app, school_class, auth_headers):
    learner = auth_headers()
    join = ("post", "/api/v1/classes/join", {"code": school_class["join_code"]}, learner)

    answers = _at_once(app, *[join] * 5)

    assert answers == [200] * 5
    with app.app_context():
        count = sa.select(sa.func.count()).select_from(ClassMember)
        assert db.session.scalar(count) == 1


def test_two_teachers_removing_each_other_leave_one_teacher(
    app, client, teacher, school_class, auth_headers
):
    colleague = auth_headers("teacher")
    me, them = user_id(client, teacher), user_id(client, colleague)
    path = f"/api/v1/classes/{school_class['id']}/teachers"
    client.put(f"{path}/{them}", headers=teacher)

    answers = _at_once(
        app,
        ("delete", f"{path}/{them}", None, teacher),
        ("delete", f"{path}/{me}", None, colleague),
    )

    assert sorted(answers) in ([204, 404], [204, 409])
    with app.app_context():
        count = sa.select(sa.func.count()).select_from(ClassTeacher)
        assert db.session.scalar(count) == 1
