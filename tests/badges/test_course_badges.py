"""A course's authors define badges of their own for it, awarded like the platform's."""

import pytest

from tests.badges.conftest import badge_definition, completion, held, write_course
from tests.factories import import_folder, upload, zip_folder


@pytest.fixture
def author(person):
    return person("author")


@pytest.fixture
def authored_course(client, author, tmp_path):
    """The generated course, uploaded (so authored) by author, then published."""
    folder = write_course(tmp_path / "generated")
    response = upload(client, author.headers, zip_folder(folder, root="generated"))
    assert response.status_code == 201, response.json
    published = client.post(
        "/api/v1/authoring/courses/generated/versions/1.0.0/publish", headers=author.headers
    )
    assert published.status_code == 200, published.json


def define(client, person, rule, slug="first-module", course="generated"):
    return client.post(
        f"/api/v1/courses/{course}/badges",
        json=badge_definition(slug, rule),
        headers=person.headers,
    )


def test_an_author_defines_a_badge_that_is_then_awarded(
    client, authored_course, author, learner, sync
):
    response = define(client, author, {"type": "modules_completed", "modules": ["module-0"]})
    assert response.status_code == 201, response.json
    assert response.json["rule"] == {
        "type": "modules_completed",
        "modules": ["module-0"],
        "course": "generated",
    }
    listed = client.get("/api/v1/badges?course=generated").json["items"]
    assert [badge["slug"] for badge in listed] == ["first-module"]

    sync(learner.headers, completion("lesson-0-0"))

    assert held(client, learner) == ["first-module"]
    assert client.get("/ob/badges/first-module").json["name"] == "Badge first-module (nl)"


def test_only_the_course_authors_and_admins_define_its_badges(
    client, authored_course, person, learner
):
    assert define(client, learner, {"type": "course_completed"}).status_code == 403
    assert define(client, person("author"), {"type": "course_completed"}).status_code == 403
    assert define(client, person("admin"), {"type": "course_completed"}).status_code == 201


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"type": "pledges_done", "count": 2}, "rule.type"),
        ({"type": "course_completed", "course": "another"}, "rule.course"),
        ({"type": "modules_completed", "modules": ["module-9"]}, "rule.modules"),
    ],
)
def test_a_course_badge_is_about_its_course(client, authored_course, author, rule, field):
    response = define(client, author, rule)

    assert response.status_code == 422
    assert field in response.json["errors"]


def test_badge_slugs_are_unique_and_permanent(client, authored_course, author):
    assert (
        define(client, author, {"type": "course_completed"}, slug="carbon-literate").status_code
        == 409
    )
    assert define(client, author, {"type": "course_completed"}).status_code == 201
    assert define(client, author, {"type": "course_completed"}).status_code == 409


def test_an_unknown_course_has_no_badges_to_define(client, author):
    assert define(client, author, {"type": "course_completed"}, course="nope").status_code == 404


def test_a_badge_name_is_drawn_safely(client, authored_course, author):
    definition = badge_definition("safe", {"type": "course_completed"})
    definition["name"]["nl"] = "<script>alert(1)</script>"
    response = client.post(
        "/api/v1/courses/generated/badges", json=definition, headers=author.headers
    )
    assert response.status_code == 201

    svg = client.get("/ob/badges/safe/image.svg?lang=nl").get_data(as_text=True)

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_import_folder_courses_have_no_author_but_admins(app, client, person, tmp_path):
    import_folder(app, write_course(tmp_path / "generated"))

    assert define(client, person("author"), {"type": "course_completed"}).status_code == 403
    assert define(client, person("admin"), {"type": "course_completed"}).status_code == 201


def test_an_author_may_bring_a_safe_image_of_their_own(client, authored_course, author):
    definition = badge_definition("drawn-by-hand", {"type": "course_completed"})
    definition["image_svg"] = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>'
    )
    assert (
        client.post(
            "/api/v1/courses/generated/badges", json=definition, headers=author.headers
        ).status_code
        == 201
    )

    image = client.get("/ob/badges/drawn-by-hand/image.svg")

    assert image.get_data(as_text=True) == (
        '<svg viewBox="0 0 10 10" xmlns="http://www.w3.org/2000/svg"><circle r="4" /></svg>'
    )


def test_an_unsafe_image_is_refused_with_its_problems(client, authored_course, author):
    definition = badge_definition("sneaky", {"type": "course_completed"})
    definition["image_svg"] = (
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )

    response = client.post(
        "/api/v1/courses/generated/badges", json=definition, headers=author.headers
    )

    assert response.status_code == 422
    assert response.json["errors"]["image_svg"] == ["element <script> is not allowed"]
