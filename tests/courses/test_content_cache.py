"""Published outlines and lessons come from a cache: never stale, revalidated with ETags."""

import contextlib

import pytest
import sqlalchemy as sa

from learning.extensions import db
from tests.factories import import_folder, write_package

CONTENT_TABLES = ("course_modules", "course_lessons", "course_quizzes")
REDIS_URL = "redis://127.0.0.1:6379/14"


def content_statements(statements):
    """The statements that read a course's content rather than which version is published."""
    return [s for s in statements if any(table in s for table in CONTENT_TABLES)]


@contextlib.contextmanager
def statements_of(app):
    """Every SQL statement app runs inside the block (count_queries, for any app)."""
    seen = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def redis_url():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")
    yield REDIS_URL
    for key in client.scan_iter("carbonlit:content:*"):
        client.delete(key)


def test_a_second_outline_request_runs_no_query(client, published_example, count_queries):
    first = client.get("/api/v1/courses/small-course?lang=en")

    with count_queries() as statements:
        second = client.get("/api/v1/courses/small-course?lang=en")

    assert second.status_code == 200
    assert second.json == first.json
    assert statements == []


def test_a_second_lesson_request_runs_no_query(client, published_example, count_queries):
    url = "/api/v1/courses/small-course/lessons/greenhouse?lang=fr"
    first = client.get(url)

    with count_queries() as statements:
        second = client.get(url)

    assert second.status_code == 200
    assert second.json == first.json
    assert second.headers["ETag"] == first.headers["ETag"]
    assert statements == []


def test_each_language_is_cached_on_its_own(client, published_example):
    english = client.get("/api/v1/courses/small-course?lang=en")
    dutch = client.get("/api/v1/courses/small-course?lang=nl")
    english_again = client.get("/api/v1/courses/small-course?lang=en")

    assert english.headers["Content-Language"] == english_again.headers["Content-Language"] == "en"
    assert dutch.headers["Content-Language"] == "nl"
    assert dutch.json["title"] != english.json["title"]
    assert english_again.json == english.json
    assert english.headers["ETag"] != dutch.headers["ETag"]


def test_the_outline_answers_304_when_the_etag_still_holds(client, published_example):
    first = client.get("/api/v1/courses/small-course?lang=en")

    again = client.get(
        "/api/v1/courses/small-course?lang=en", headers={"If-None-Match": first.headers["ETag"]}
    )
    in_dutch = client.get(
        "/api/v1/courses/small-course?lang=nl", headers={"If-None-Match": first.headers["ETag"]}
    )

    assert first.status_code == 200
    assert "max-age" in first.headers["Cache-Control"]
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert in_dutch.status_code == 200


def test_a_newly_published_version_is_served_at_once(app, client, tmp_path):
    import_folder(app, write_package(tmp_path / "v1", slug="changing"))
    old_outline = client.get("/api/v1/courses/changing?lang=en")
    old_lesson = client.get("/api/v1/courses/changing/lessons/lesson-0-0?lang=en")

    import_folder(
        app,
        write_package(
            tmp_path / "v2",
            slug="changing",
            version="1.1.0",
            modules=3,
            lesson_text=lambda m, n, language: f"Rewritten {m}-{n} in {language}.",
        ),
    )
    new_outline = client.get(
        "/api/v1/courses/changing?lang=en", headers={"If-None-Match": old_outline.headers["ETag"]}
    )
    new_lesson = client.get(
        "/api/v1/courses/changing/lessons/lesson-0-0?lang=en",
        headers={"If-None-Match": old_lesson.headers["ETag"]},
    )

    assert old_outline.json["version"] == "1.0.0"
    assert new_outline.status_code == 200
    assert new_outline.json["version"] == "1.1.0"
    assert len(new_outline.json["modules"]) == 3
    assert new_lesson.status_code == 200
    assert "Rewritten 0-0 in en." in new_lesson.json["html"]
    assert new_lesson.json["version"] == "1.1.0"


def test_the_signed_in_outline_overlays_my_latest_progress_on_the_cached_one(
    client, published_example, auth_headers
):
    learner = auth_headers(locale="en")
    outline = client.get("/api/v1/courses/small-course", headers=learner).json
    first_module = outline["modules"][0]
    events = [
        {
            "id": f"00000000-0000-4000-8000-00000000000{n}",
            "course": "small-course",
            "lesson": lesson["slug"],
            "verb": "completed",
            "at": "2026-03-02T09:00:00+01:00",
        }
        for n, lesson in enumerate(first_module["lessons"])
    ]
    client.post("/api/v1/progress/events", json={"events": events}, headers=learner)

    mine = client.get("/api/v1/courses/small-course", headers=learner)
    anonymous = client.get("/api/v1/courses/small-course?lang=en")

    assert [lesson["state"] for lesson in first_module["lessons"]] == ["not_started"] * len(events)
    assert [lesson["state"] for lesson in mine.json["modules"][0]["lessons"]] == (
        ["completed"] * len(events)
    )
    assert "private" in mine.headers["Cache-Control"]
    assert all("state" not in lesson for lesson in anonymous.json["modules"][0]["lessons"])


def test_the_signed_in_outline_is_the_cached_one_with_only_my_states_and_locks_set(
    client, published_example, auth_headers
):
    mine = client.get("/api/v1/courses/small-course", headers=auth_headers(locale="en")).json
    anonymous = client.get("/api/v1/courses/small-course?lang=en").json

    states = set()
    for module, as_anyone in zip(mine["modules"], anonymous["modules"], strict=True):
        assert isinstance(module["locked"], bool)
        module["locked"] = as_anyone["locked"]
        states |= {lesson.pop("state") for lesson in module["lessons"]}
    assert mine == anonymous
    assert states <= {"not_started", "started", "completed", "locked"}
    assert states


def test_the_signed_in_outline_costs_the_same_queries_whatever_the_course_size(
    app, client, tmp_path, auth_headers, count_queries
):
    import_folder(app, write_package(tmp_path / "small", slug="small", modules=1, lessons=1))
    import_folder(app, write_package(tmp_path / "big", slug="big", modules=8, lessons=9))
    learner = auth_headers()
    client.get("/api/v1/courses/small", headers=learner)
    client.get("/api/v1/courses/big", headers=learner)

    with count_queries() as small:
        assert client.get("/api/v1/courses/small", headers=learner).status_code == 200
    with count_queries() as big:
        assert client.get("/api/v1/courses/big", headers=learner).status_code == 200

    assert len(small) == len(big)
    assert content_statements(big) == []


def test_the_in_process_cache_is_bounded(app, app_factory, tmp_path):
    worker = app_factory(CONTENT_CACHE_SIZE=1)
    import_folder(worker, write_package(tmp_path / "course", slug="course"))
    client = worker.test_client()
    client.get("/api/v1/courses/course?lang=en")
    client.get("/api/v1/courses/course?lang=nl")

    with statements_of(worker) as statements:
        client.get("/api/v1/courses/course?lang=en")

    assert content_statements(statements) != []


def test_without_redis_other_workers_read_a_publication_after_the_recheck_delay(
    app, app_factory, tmp_path
):
    publishing_worker = app_factory()
    reading_worker = app_factory(CONTENT_CACHE_RECHECK_SECONDS=0)
    import_folder(publishing_worker, write_package(tmp_path / "v1", slug="course"))
    before = reading_worker.test_client().get("/api/v1/courses/course")

    import_folder(publishing_worker, write_package(tmp_path / "v2", slug="course", version="2.0.0"))
    after = reading_worker.test_client().get("/api/v1/courses/course")

    assert (before.json["version"], after.json["version"]) == ("1.0.0", "2.0.0")


def test_with_redis_every_worker_shares_the_cache(app, app_factory, tmp_path, redis_url):
    first_worker = app_factory(CONTENT_CACHE_URL=redis_url)
    import_folder(first_worker, write_package(tmp_path / "shared", slug="shared"))
    filled = first_worker.test_client().get("/api/v1/courses/shared?lang=en")
    second_worker = app_factory(CONTENT_CACHE_URL=redis_url)

    with statements_of(second_worker) as statements:
        served = second_worker.test_client().get("/api/v1/courses/shared?lang=en")

    assert served.status_code == 200
    assert served.data == filled.data
    assert served.headers["ETag"] == filled.headers["ETag"]
    assert len(statements) == 1
    assert "course_versions" in statements[0]
    assert content_statements(statements) == []


def test_with_redis_every_worker_serves_a_new_publication_at_once(
    app, app_factory, tmp_path, redis_url
):
    publishing_worker = app_factory(CONTENT_CACHE_URL=redis_url)
    reading_worker = app_factory(CONTENT_CACHE_URL=redis_url, CONTENT_CACHE_RECHECK_SECONDS=3600)
    import_folder(publishing_worker, write_package(tmp_path / "v1", slug="course"))
    before = reading_worker.test_client().get("/api/v1/courses/course")

    import_folder(publishing_worker, write_package(tmp_path / "v2", slug="course", version="2.0.0"))
    after = reading_worker.test_client().get("/api/v1/courses/course")

    assert (before.json["version"], after.json["version"]) == ("1.0.0", "2.0.0")


def test_an_unreachable_redis_is_a_miss_not_an_error(app, app_factory, tmp_path):
    worker = app_factory(CONTENT_CACHE_URL="redis://127.0.0.1:1/0")
    import_folder(worker, write_package(tmp_path / "course", slug="course"))

    response = worker.test_client().get("/api/v1/courses/course/lessons/lesson-0-0?lang=nl")

    assert response.status_code == 200
    assert "Text of lesson-0-0 in nl." in response.json["html"]
