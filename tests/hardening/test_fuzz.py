"""Property-based fuzzing of every operation in the OpenAPI document, with schemathesis.

For each operation, schemathesis generates requests from the document (valid and invalid
bodies, queries and path parameters), sent in-process by each kind of caller, anonymous to
admin, against a populated world so that paths also point at real objects. Every answer must be
no server error, have a status code and a content type the document names for the operation,
and a body that matches the documented schema. Besides the examples it draws, schemathesis's
coverage phase sends boundary values and methods the path does not have, which must answer 405
with an Allow header.

The number of examples is bounded and generation is derandomized, so a run is the same every
time and takes a minute or two.
"""

import itertools
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from tests.conftest import make_app
from tests.hardening.world import BADGE, World

EXAMPLES_PER_OPERATION = 12
CALLERS = (
    "anonymous",
    "member",
    "learner",
    "facilitator",
    "teacher",
    "author",
    "assessor",
    "admin",
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    unsupported_method,
]


def explicit_answers_only(document: dict) -> dict:
    """The document without its `default` answers. `default` stands for what any operation may
    meet (a database outage, a body too large); without it, every status code the fuzzing
    provokes must be one the operation names, so that clients know to expect it."""
    for path_item in document["paths"].values():
        for operation in path_item.values():
            if isinstance(operation, dict):
                operation.get("responses", {}).pop("default", None)
    return document


# The document does not depend on the database: an app that never connects serves it.
schema = schemathesis.openapi.from_dict(
    explicit_answers_only(make_app("sqlite://").test_client().get("/api/openapi.json").json)
)


def real_path_parameters(world: World, path: str) -> dict:
    """Values for the path's parameters that name objects of the world."""
    values = world.path_values()
    if path.startswith(("/api/v1/badges/{slug}", "/ob/badges/{slug}")):
        values["slug"] = lambda: BADGE
    return {name: values[name]() for name in re.findall(r"\{(\w+)\}", path)}


# Operations that destroy what the others need (the class, the tokens, the calendar address,
# the badge): each fuzzes a world of its own.
DESTRUCTIVE = {
    "PUT /api/v1/me/password",
    "PUT /api/v1/users/{user_id}/roles",
    "POST /api/v1/classes/{class_id}/join-code",
    "POST /api/v1/me/circles/calendar/rotate",
    "POST /api/v1/badges/assertions/{assertion_id}/revoke",
    "POST /api/v1/certifications/{certification_id}/review",
    "PATCH /api/v1/circles/{circle_id}/meetings/{number}",
    "POST /api/v1/authoring/courses/{slug}/versions/{version}/publish",
}


@pytest.fixture(scope="module")
def world_for(worlds):
    """The world an operation is fuzzed in: a shared one, made whole before anything can
    delete what it holds; a world of its own for an operation that deletes or replaces."""
    shared = worlds.shared().populate()
    own = {}

    def world(label: str) -> World:
        if label.startswith("DELETE ") or label in DESTRUCTIVE:
            if label not in own:
                own[label] = worlds.another().populate()
            return own[label]
        return shared

    return world


@pytest.fixture(scope="module")
def turns():
    """Who sends the next request, and whether its path names the world's objects or what
    schemathesis made up: in turn, so that a run is the same every time."""
    return itertools.cycle(itertools.product(CALLERS, (True, False)))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case, world_for, turns):
    world = world_for(case.operation.label)
    caller, real_objects = next(turns)
    if case.path_parameters and real_objects:
        case.path_parameters = {
            **case.path_parameters,
            **real_path_parameters(world, case.operation.path),
        }
    case.call_and_validate(app=world.app, headers=world.headers(caller), checks=CHECKS)
