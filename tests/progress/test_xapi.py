"""My progress as xAPI statements, checked by an independent xAPI validator (ralph)."""

from ralph.models.xapi.base.statements import BaseXapiStatement

from tests.factories import RIGHT_ANSWERS
from tests.progress.conftest import event


def test_accepted_events_and_attempts_are_valid_xapi_statements(client, course, learner, sync):
    sync(
        learner,
        event("lesson-0-0", "started", 1),
        event("lesson-0-0", "position", 2, position=0.5),
        event("lesson-0-0", "completed", 3),
        event("nope", "completed", 4),
    )
    client.post(
        "/api/v1/courses/course/quizzes/quiz-1/attempts",
        json={"answers": RIGHT_ANSWERS},
        headers=learner,
    )

    result = client.get("/api/v1/me/progress/xapi", headers=learner).json

    statements = result["statements"]
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in statements][:3] == [
        "attempted",
        "progressed",
        "completed",
    ]
    assert statements[-1]["verb"]["id"].endswith("/passed")
    assert statements[-1]["result"]["score"]["scaled"] == 1.0
    assert len(statements) == 4
    for statement in statements:
        BaseXapiStatement(**statement)
    assert result["more"] == ""


def test_statements_name_no_email(client, course, learner, sync):
    sync(learner, event("lesson-0-0"))
    email = client.get("/api/v1/me", headers=learner).json["email"]

    body = client.get("/api/v1/me/progress/xapi", headers=learner).get_data(as_text=True)

    assert email not in body


def test_statements_are_paginated(client, course, learner, sync):
    sync(learner, *[event("lesson-0-0", "position", n, position=n) for n in range(5)])

    first = client.get("/api/v1/me/progress/xapi?per_page=2", headers=learner).json
    last = client.get("/api/v1/me/progress/xapi?per_page=2&page=3", headers=learner).json

    assert len(first["statements"]) == 2
    assert first["more"] == "/api/v1/me/progress/xapi?page=2&per_page=2"
    assert len(last["statements"]) == 1
    assert last["more"] == ""
