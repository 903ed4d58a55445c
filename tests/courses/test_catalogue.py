"""Learners browse published courses and read them in nl, fr or en."""

import pytest

from tests.factories import import_folder, write_package


def test_the_catalogue_lists_published_courses(client, published_example):
    response = client.get("/api/v1/courses")

    assert response.status_code == 200
    assert response.json["total"] == 1
    assert response.json["page"] == 1
    (course,) = response.json["items"]
    assert course["slug"] == "small-course"
    assert course["version"] == "1.0.0"
    assert course["languages"] == ["en", "nl", "fr"]
    assert course["estimated_minutes"] > 0


def test_drafts_are_not_in_the_catalogue(app, client, tmp_path):
    import_folder(app, write_package(tmp_path / "draft", slug="draft-only"), publish=False)

    assert client.get("/api/v1/courses").json["total"] == 0
    assert client.get("/api/v1/courses/draft-only").status_code == 404


def test_the_catalogue_filters_by_language_tag_and_text(app, client, tmp_path):
    import_folder(app, write_package(tmp_path / "a", slug="about-food"))
    import_folder(
        app,
        write_package(tmp_path / "b", slug="about-bikes", languages=["en"], tags=["bikes"]),
    )

    def slugs(query):
        return [c["slug"] for c in client.get(f"/api/v1/courses?{query}").json["items"]]

    assert slugs("") == ["about-bikes", "about-food"]
    assert slugs("language=nl") == ["about-food"]
    assert slugs("tag=bikes") == ["about-bikes"]
    assert slugs("q=ABOUT-FOOD") == ["about-food"]
    assert slugs("q=generated course") == ["about-bikes", "about-food"]
    assert slugs("q=100%25") == []


def test_the_catalogue_is_paginated_and_caps_per_page(app, client, tmp_path):
    for n in range(3):
        import_folder(app, write_package(tmp_path / str(n), slug=f"course-{n}"))

    page = client.get("/api/v1/courses?per_page=2&page=2").json
    too_many = client.get("/api/v1/courses?per_page=1000")

    assert page["total"] == 3
    assert [c["slug"] for c in page["items"]] == ["course-2"]
    assert too_many.status_code == 422
    assert "per_page" in too_many.json["errors"]


def test_the_outline_shows_modules_lessons_quizzes_and_locks(client, published_example):
    response = client.get("/api/v1/courses/small-course?lang=en")

    assert response.status_code == 200
    outline = response.json
    assert outline["version"] == "1.0.0"
    assert [m["slug"] for m in outline["modules"]] == ["why-it-matters", "first-steps"]
    first, second = outline["modules"]
    assert first["locked"] is False
    assert second["locked"] is True
    assert second["prerequisites"] == ["why-it-matters"]
    assert first["quiz"]["slug"] == "check"
    assert first["quiz"]["questions"] >= 4
    assert all({"slug", "title", "kind", "minutes"} <= set(lesson) for lesson in first["lessons"])
    assert (
        first["minutes"]
        == sum(lesson["minutes"] for lesson in first["lessons"]) + first["quiz"]["minutes"]
    )
    assert len(first["sources"]) >= 1


def test_the_outline_costs_the_same_queries_whatever_the_course_size(
    app, client, tmp_path, count_queries
):
    import_folder(app, write_package(tmp_path / "small", slug="small", modules=1, lessons=1))
    import_folder(app, write_package(tmp_path / "big", slug="big", modules=8, lessons=9))

    with count_queries() as small:
        assert client.get("/api/v1/courses/small").status_code == 200
    with count_queries() as big:
        assert client.get("/api/v1/courses/big").status_code == 200

    assert len(small) == len(big)
    assert len(big) <= 5


@pytest.mark.parametrize(
    ("request_args", "headers", "served"),
    [
        ("?lang=fr", {}, "fr"),
        ("", {"Accept-Language": "nl-BE,nl;q=0.9,en;q=0.5"}, "nl"),
        ("", {"Accept-Language": "de-DE, fr;q=0.4"}, "fr"),
        ("", {"Accept-Language": "de-DE"}, "en"),
        ("?lang=nl", {"Accept-Language": "fr"}, "nl"),
    ],
)
def test_language_is_negotiated_with_a_fallback_to_the_default(
    client, published_example, request_args, headers, served
):
    response = client.get(f"/api/v1/courses/small-course{request_args}", headers=headers)

    assert response.headers["Content-Language"] == served
    assert response.json["language"] == served


def test_a_signed_in_learners_locale_is_the_last_preference(
    client, published_example, auth_headers
):
    response = client.get("/api/v1/courses/small-course", headers=auth_headers(locale="fr"))

    assert response.json["language"] == "fr"


def test_an_unknown_language_parameter_is_refused(client, published_example):
    response = client.get("/api/v1/courses/small-course?lang=de")

    assert response.status_code == 422


def _first_lesson(client):
    outline = client.get("/api/v1/courses/small-course?lang=en").json
    return outline["modules"][0]["lessons"][0]["slug"]


def test_lessons_are_served_as_sanitised_html_in_each_language(client, published_example):
    lesson = _first_lesson(client)

    bodies = {}
    for language in ("nl", "fr", "en"):
        response = client.get(f"/api/v1/courses/small-course/lessons/{lesson}?lang={language}")
        assert response.status_code == 200
        assert response.headers["Content-Language"] == language
        assert response.json["html"].strip()
        assert "<script" not in response.json["html"]
        bodies[language] = response.json["html"]

    assert len(set(bodies.values())) == 3


def test_lessons_carry_an_etag_and_answer_304_when_unchanged(client, published_example):
    lesson = _first_lesson(client)
    url = f"/api/v1/courses/small-course/lessons/{lesson}?lang=en"

    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    other_language = client.get(
        url.replace("lang=en", "lang=nl"), headers={"If-None-Match": first.headers["ETag"]}
    )

    assert "max-age" in first.headers["Cache-Control"]
    assert again.status_code == 304
    assert again.data == b""
    assert other_language.status_code == 200


def test_lessons_know_their_neighbours(client, published_example):
    outline = client.get("/api/v1/courses/small-course?lang=en").json
    order = [lesson["slug"] for module in outline["modules"] for lesson in module["lessons"]]

    first = client.get(f"/api/v1/courses/small-course/lessons/{order[0]}").json
    last = client.get(f"/api/v1/courses/small-course/lessons/{order[-1]}").json

    assert (first["previous"], first["next"]) == (None, order[1])
    assert (last["previous"], last["next"]) == (order[-2], None)


def test_the_asset_of_a_lesson_is_served_as_an_image(client, published_example):
    response = client.get("/api/v1/courses/small-course/versions/1.0.0/assets/warming-stripes.png")

    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")
    assert "immutable" in response.headers["Cache-Control"]


def test_lesson_html_points_its_images_at_the_versioned_asset(client, published_example):
    outline = client.get("/api/v1/courses/small-course?lang=en").json
    htmls = [
        client.get(f"/api/v1/courses/small-course/lessons/{lesson['slug']}").json["html"]
        for module in outline["modules"]
        for lesson in module["lessons"]
    ]

    assert any(
        'src="/api/v1/courses/small-course/versions/1.0.0/assets/warming-stripes.png"' in html
        for html in htmls
    )


def test_a_quiz_is_served_without_its_answers(client, published_example):
    response = client.get("/api/v1/courses/small-course/quizzes/check?lang=nl")

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "nl"
    text = response.get_data(as_text=True)
    for secret in ("correct", "explanation", "answer", "tolerance"):
        assert secret not in text
    types = {question["type"] for question in response.json["questions"]}
    assert types == {"single", "multiple", "true_false", "numeric"}


def test_unknown_courses_lessons_and_quizzes_are_404(client, published_example):
    for url in (
        "/api/v1/courses/nope",
        "/api/v1/courses/small-course/lessons/nope",
        "/api/v1/courses/small-course/quizzes/nope",
        "/api/v1/courses/small-course/versions/9.9.9/assets/warming-stripes.png",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.content_type == "application/problem+json"
