"""Authors upload packages as drafts, preview them and publish them."""

import io
import zipfile

import sqlalchemy as sa

from learning.courses.models import Asset, Course, CourseVersion, Lesson
from learning.extensions import db
from tests.factories import EXAMPLE, upload, write_package, zip_folder


def _row_counts(app) -> dict:
    with app.app_context():
        return {
            model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Course, CourseVersion, Lesson, Asset)
        }


def test_an_upload_creates_a_draft(client, auth_headers, example_zip):
    response = upload(client, auth_headers("author"), example_zip)

    assert response.status_code == 201
    assert response.json["course"] == "small-course"
    assert response.json["version"] == "1.0.0"
    assert response.json["status"] == "draft"
    assert client.get("/api/v1/courses/small-course").status_code == 404


def test_the_author_previews_a_draft_as_learners_will_see_it(client, auth_headers, example_zip):
    headers = auth_headers("author")
    upload(client, headers, example_zip)

    outline = client.get(
        "/api/v1/authoring/courses/small-course/versions/1.0.0?lang=fr", headers=headers
    )
    lesson = outline.json["modules"][0]["lessons"][0]["slug"]
    content = client.get(
        f"/api/v1/authoring/courses/small-course/versions/1.0.0/lessons/{lesson}?lang=fr",
        headers=headers,
    )

    assert outline.status_code == 200
    assert outline.json["status"] == "draft"
    assert outline.json["language"] == "fr"
    assert content.status_code == 200
    assert content.json["language"] == "fr"


def test_publishing_makes_the_course_visible_to_learners(client, auth_headers, example_zip):
    headers = auth_headers("author")
    upload(client, headers, example_zip)

    response = client.post(
        "/api/v1/authoring/courses/small-course/versions/1.0.0/publish", headers=headers
    )

    assert response.status_code == 200
    assert response.json["status"] == "published"
    assert response.json["published_at"]
    assert client.get("/api/v1/courses/small-course").json["version"] == "1.0.0"


def test_a_new_version_retires_the_old_one_and_keeps_it(client, auth_headers, tmp_path):
    headers = auth_headers("author")
    for version in ("1.0.0", "1.1.0"):
        package = write_package(tmp_path / version, slug="evolving", version=version)
        upload(client, headers, zip_folder(package))
        client.post(
            f"/api/v1/authoring/courses/evolving/versions/{version}/publish", headers=headers
        )

    versions = client.get("/api/v1/authoring/courses/evolving/versions", headers=headers).json

    assert [(v["version"], v["status"]) for v in versions] == [
        ("1.1.0", "published"),
        ("1.0.0", "retired"),
    ]
    assert versions[1]["retired_at"]
    assert client.get("/api/v1/courses/evolving").json["version"] == "1.1.0"


def test_a_version_must_grow(client, auth_headers, tmp_path):
    headers = auth_headers("author")
    upload(client, headers, zip_folder(write_package(tmp_path / "a", slug="c", version="1.2.0")))
    client.post("/api/v1/authoring/courses/c/versions/1.2.0/publish", headers=headers)

    response = upload(
        client, headers, zip_folder(write_package(tmp_path / "b", slug="c", version="1.1.9"))
    )

    assert response.status_code == 422
    (problem,) = response.json["errors"]["package"]
    assert problem.startswith("course.yaml:")
    assert "must be greater than 1.2.0" in problem


def test_uploading_a_draft_again_replaces_it(client, auth_headers, tmp_path, app):
    headers = auth_headers("author")
    upload(client, headers, zip_folder(write_package(tmp_path / "a", slug="c", lessons=1)))

    again = upload(client, headers, zip_folder(write_package(tmp_path / "b", slug="c", lessons=4)))

    assert again.status_code == 201
    outline = client.get("/api/v1/authoring/courses/c/versions/1.0.0", headers=headers).json
    assert [len(m["lessons"]) for m in outline["modules"]] == [4, 4]
    assert _row_counts(app)["course_versions"] == 1


def test_an_invalid_package_gets_every_problem_and_leaves_nothing(
    app, client, auth_headers, tmp_path
):
    package = write_package(tmp_path / "bad", slug="bad")
    (package / "module-0" / "lesson-0-0.fr.md").unlink()
    (package / "course.yaml").write_text(
        (package / "course.yaml").read_text().replace("licence: CC-BY-SA-4.0", "licence: ask me")
    )

    response = upload(client, auth_headers("author"), zip_folder(package))

    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    problems = response.json["errors"]["package"]
    assert len(problems) >= 2
    assert any(p.startswith("course.yaml:") for p in problems)
    assert any("lesson-0-0" in p for p in problems)
    assert set(_row_counts(app).values()) == {0}


def test_a_hostile_zip_is_refused_and_leaves_nothing(app, client, auth_headers, example_zip):
    buffer = io.BytesIO(example_zip)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("../../etc/evil.txt", "pwned")

    response = upload(client, auth_headers("author"), buffer.getvalue())

    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    assert response.json["errors"]["package"]
    assert set(_row_counts(app).values()) == {0}


def test_a_body_over_the_maximum_is_413(app_factory, make_user):
    app = app_factory(MAX_CONTENT_LENGTH=10_000)
    _, email = make_user(roles=["author"])
    client = app.test_client()
    token = client.post(
        "/api/v1/auth/login", json={"email": email, "password": "correct horse battery"}
    ).json["access_token"]

    response = upload(client, {"Authorization": f"Bearer {token}"}, b"x" * 20_000)

    assert response.status_code == 413
    assert response.content_type == "application/problem+json"


def test_an_upload_without_a_file_is_422(client, auth_headers):
    response = client.post(
        "/api/v1/authoring/courses",
        data={},
        headers=auth_headers("author"),
        content_type="multipart/form-data",
    )

    assert response.status_code == 422
    assert "package" in response.json["errors"]


def test_learners_cannot_upload(client, auth_headers, example_zip):
    assert upload(client, auth_headers(), example_zip).status_code == 403


def test_only_the_course_authors_may_upload_or_publish_it(client, auth_headers, example_zip):
    owner = auth_headers("author")
    stranger = auth_headers("author")
    upload(client, owner, example_zip)

    upload_again = upload(client, stranger, example_zip)
    publish = client.post(
        "/api/v1/authoring/courses/small-course/versions/1.0.0/publish", headers=stranger
    )
    versions = client.get("/api/v1/authoring/courses/small-course/versions", headers=stranger)

    assert upload_again.status_code == 403
    assert publish.status_code == 403
    assert versions.status_code == 403


def test_an_added_co_author_may_publish(client, auth_headers, make_user, login, example_zip):
    owner = auth_headers("author")
    co_author_id, email = make_user(roles=["author"])
    co_author = {"Authorization": f"Bearer {login(email)['access_token']}"}
    upload(client, owner, example_zip)

    added = client.put(
        f"/api/v1/authoring/courses/small-course/authors/{co_author_id}", headers=owner
    )
    publish = client.post(
        "/api/v1/authoring/courses/small-course/versions/1.0.0/publish", headers=co_author
    )

    assert added.status_code == 200
    assert co_author_id in added.json["authors"]
    assert publish.status_code == 200


def test_a_co_author_needs_the_author_role(client, auth_headers, make_user, example_zip):
    owner = auth_headers("author")
    learner_id, _ = make_user()
    upload(client, owner, example_zip)

    response = client.put(
        f"/api/v1/authoring/courses/small-course/authors/{learner_id}", headers=owner
    )

    assert response.status_code == 409


def test_the_last_author_cannot_be_removed(client, auth_headers, example_zip, make_user, login):
    author_id, email = make_user(roles=["author"])
    headers = {"Authorization": f"Bearer {login(email)['access_token']}"}
    upload(client, headers, example_zip)

    response = client.delete(
        f"/api/v1/authoring/courses/small-course/authors/{author_id}", headers=headers
    )

    assert response.status_code == 409


def test_admins_may_publish_any_course(client, auth_headers, example_zip):
    upload(client, auth_headers("author"), example_zip)

    response = client.post(
        "/api/v1/authoring/courses/small-course/versions/1.0.0/publish",
        headers=auth_headers("admin"),
    )

    assert response.status_code == 200


def test_publishing_twice_is_a_conflict(client, auth_headers, example_zip):
    headers = auth_headers("author")
    upload(client, headers, example_zip)
    url = "/api/v1/authoring/courses/small-course/versions/1.0.0/publish"
    client.post(url, headers=headers)

    assert client.post(url, headers=headers).status_code == 409


def test_my_authored_courses_are_listed(client, auth_headers, example_zip):
    headers = auth_headers("author")
    upload(client, headers, example_zip)

    response = client.get("/api/v1/authoring/courses", headers=headers)
    others = client.get("/api/v1/authoring/courses", headers=auth_headers("author"))

    assert [c["slug"] for c in response.json] == ["small-course"]
    assert response.json[0]["versions"] == ["1.0.0"]
    assert others.json == []


def test_the_example_package_reads_back_in_all_its_languages(client, auth_headers, example_zip):
    headers = auth_headers("author")
    upload(client, headers, example_zip)
    client.post("/api/v1/authoring/courses/small-course/versions/1.0.0/publish", headers=headers)

    for language in ("en", "nl", "fr"):
        outline = client.get(f"/api/v1/courses/small-course?lang={language}").json
        assert outline["language"] == language
        for module in outline["modules"]:
            for lesson in module["lessons"]:
                content = client.get(
                    f"/api/v1/courses/small-course/lessons/{lesson['slug']}?lang={language}"
                )
                assert content.json["title"] == lesson["title"]
        assert EXAMPLE.exists()
