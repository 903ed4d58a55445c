"""Badges a course package defines in badges.yaml: created on publication, awarded like the
platform's, updated or retired by later versions, and never allowed to take another badge's slug."""

import pytest
import yaml

from learning.errors import Conflict
from tests.badges.conftest import badge_definition, completion, held, write_course
from tests.factories import EXAMPLE, import_folder, language_map, upload, zip_folder


def with_badges(folder, *badges, languages=("en", "nl", "fr")):
    """Give a package badges.yaml with these definitions, texts in the course's languages."""
    definitions = []
    for badge in badges:
        definition = dict(badge)
        for field in ("name", "description", "criteria"):
            definition[field] = language_map(badge[field]["en"].removesuffix(" (en)"), languages)
        definitions.append(definition)
    (folder / "badges.yaml").write_text(yaml.safe_dump({"badges": definitions}), encoding="utf-8")
    return folder


def finisher(slug="generated-finisher"):
    return badge_definition(slug, {"type": "course_completed"})


def test_publishing_the_example_defines_its_badges_with_the_authored_image(app, client):
    import_folder(app, EXAMPLE)

    listed = client.get("/api/v1/badges?course=small-course&lang=fr").json["items"]
    assert [badge["slug"] for badge in listed] == [
        "small-course-two-steps",
        "small-course-why-it-matters",
    ]
    assert listed[0]["name"] == "Deux étapes franchies"
    document = client.get(
        "/ob/badges/small-course-two-steps",
        headers={"Accept": "application/ld+json", "Accept-Language": "nl"},
    )
    assert document.status_code == 200
    assert document.json["name"] == "Twee stappen gezet"
    assert document.json["criteria"]["narrative"] == (
        "Werk beide modules van de cursus af en slaag voor de quiz."
    )
    image = client.get("/ob/badges/small-course-two-steps/image.svg")
    assert image.status_code == 200
    assert "<title>Two steps taken</title>" in image.get_data(as_text=True)
    drawn = client.get(
        "/ob/badges/small-course-why-it-matters/image.svg", headers={"Accept-Language": "en"}
    )
    assert "Knows why it" in drawn.get_data(as_text=True)


def test_a_package_badge_is_awarded_once_on_completing_the_course(
    app, client, person, sync, tmp_path
):
    import_folder(app, with_badges(write_course(tmp_path / "g"), finisher()))
    learner, other = person(locale="en"), person(locale="en")

    for _ in range(2):
        sync(learner.headers, *(completion(f"lesson-{m}-0") for m in range(3)))
    sync(other.headers, completion("lesson-0-0"))

    assert held(client, learner).count("generated-finisher") == 1
    assert "generated-finisher" not in held(client, other)


def test_texts_missing_in_a_platform_language_read_in_the_course_default(app, client, tmp_path):
    folder = write_course(tmp_path / "g", languages=("en",))
    import_folder(app, with_badges(folder, finisher(), languages=("en",)))

    dutch = client.get("/api/v1/badges?course=generated&lang=nl").json["items"][0]
    assert dutch["name"] == "Badge generated-finisher (en)"


def test_a_new_version_updates_its_badges_and_retires_those_it_dropped(
    app, client, person, sync, tmp_path
):
    first = with_badges(
        write_course(tmp_path / "v1"),
        finisher(),
        badge_definition("generated-start", {"type": "modules_completed", "modules": ["module-0"]}),
    )
    import_folder(app, first)
    early = person(locale="en")
    sync(early.headers, completion("lesson-0-0"))
    assert held(client, early) == ["generated-start"]
    assertion = client.get("/api/v1/me/badges", headers=early.headers).json["items"][0]

    renamed = finisher()
    renamed["name"] = language_map("Finished it all")
    import_folder(app, with_badges(write_course(tmp_path / "v2", version="1.1.0"), renamed))

    listed = client.get("/api/v1/badges?course=generated&lang=en").json["items"]
    assert [(badge["slug"], badge["name"]) for badge in listed] == [
        ("generated-finisher", "Finished it all (en)")
    ]
    late = person(locale="en")
    sync(late.headers, *(completion(f"lesson-{m}-0") for m in range(3)))
    assert "generated-finisher" in held(client, late)
    assert "generated-start" not in held(client, late)
    still = client.get(assertion["assertion_url"], headers={"Accept": "application/ld+json"})
    assert still.status_code == 200
    assert (
        client.get(
            "/ob/badges/generated-start", headers={"Accept": "application/ld+json"}
        ).status_code
        == 200
    )


def test_a_badge_that_comes_back_in_a_later_version_is_awarded_again(
    app, client, person, sync, tmp_path
):
    import_folder(app, with_badges(write_course(tmp_path / "v1"), finisher()))
    import_folder(app, write_course(tmp_path / "v2", version="1.1.0"))
    assert client.get("/api/v1/badges?course=generated").json["items"] == []

    import_folder(app, with_badges(write_course(tmp_path / "v3", version="1.2.0"), finisher()))
    learner = person(locale="en")
    sync(learner.headers, *(completion(f"lesson-{m}-0") for m in range(3)))
    assert "generated-finisher" in held(client, learner)


def test_a_platform_badge_slug_refuses_the_publication(app, client, person, tmp_path):
    author = person("author")
    folder = with_badges(write_course(tmp_path / "g"), finisher("course-completed"))
    assert upload(client, author.headers, zip_folder(folder, root="g")).status_code == 201

    response = client.post(
        "/api/v1/authoring/courses/generated/versions/1.0.0/publish", headers=author.headers
    )

    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert "course-completed" in response.json["detail"]
    versions = client.get("/api/v1/authoring/courses/generated/versions", headers=author.headers)
    assert [version["status"] for version in versions.json] == ["draft"]
    assert client.get("/api/v1/courses/generated").status_code == 404


def test_another_courses_badge_slug_refuses_the_import(app, client, tmp_path):
    import_folder(
        app, with_badges(write_course(tmp_path / "a", slug="first"), finisher("finisher"))
    )
    with pytest.raises(Conflict, match="finisher"):
        import_folder(
            app, with_badges(write_course(tmp_path / "b", slug="second"), finisher("finisher"))
        )
    assert client.get("/api/v1/courses/second").status_code == 404


def test_an_invalid_badges_file_refuses_the_upload(client, person, tmp_path):
    author = person("author")
    folder = write_course(tmp_path / "g")
    (folder / "badges.yaml").write_text("badges: [{slug: x}]\n", encoding="utf-8")

    response = upload(client, author.headers, zip_folder(folder, root="g"))

    assert response.status_code == 422
    assert any(
        problem.startswith("badges.yaml:1: badges[1]")
        for problem in response.json["errors"]["package"]
    )
