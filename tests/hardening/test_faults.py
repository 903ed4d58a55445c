"""Faults: a database error in the middle of a request, the database going away and coming
back, and the server killed while writes are in flight. Nothing half-written stays, the
probes tell the truth, and no acknowledged write is lost.

The database tests use a database of their own (a file in its own folder on SQLite, a
database named after the session's on PostgreSQL), so that taking it away never disturbs
the session's database.
"""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import stamp

from learning.badges.models import BadgeAssertion
from learning.extensions import db
from learning.gamification.models import LedgerEntry, PointsTotal
from learning.progress.models import Enrolment, LessonProgress, ModuleCompletion, ProgressEvent
from tests.conftest import (
    PASSWORD,
    _maintenance_connection,
    drop_postgres_database,
    make_app,
    postgres_url,
    recreate_postgres_database,
)
from tests.factories import import_folder, write_package

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
WRITTEN_BY_A_SYNC = (
    LessonProgress,
    ProgressEvent,
    Enrolment,
    ModuleCompletion,
    LedgerEntry,
    PointsTotal,
    BadgeAssertion,
)


def rows(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def completion(lesson: str) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "course": "course",
        "lesson": lesson,
        "verb": "completed",
        "at": datetime.now(UTC).isoformat(),
    }


def test_a_database_error_at_commit_rolls_back_everything_the_request_wrote(
    app, client, auth_headers, tmp_path, monkeypatch
):
    """The sync that completes a course has written its progress, points and badge when the
    database fails at the commit: the answer is a 503 to retry, none of it stays, and the
    retry records it all once."""
    import_folder(app, write_package(tmp_path / "course", slug="course", modules=1, lessons=2))
    learner = auth_headers()
    batch = [completion("lesson-0-0"), completion("lesson-0-1")]
    with app.app_context():
        engine = db.engine
    written_before_the_error = {}

    def commit_fails(dbapi_connection):
        """Note what the transaction holds, then fail as a COMMIT does when the server goes
        away (once: it is back for the next): the server has dropped the transaction and
        the driver raises."""
        cursor = dbapi_connection.cursor()
        for model in WRITTEN_BY_A_SYNC:
            count = sa.select(sa.func.count()).select_from(model)
            cursor.execute(str(count.compile(dialect=engine.dialect)))
            written_before_the_error[model.__name__] = cursor.fetchone()[0]
        cursor.close()
        dbapi_connection.rollback()
        monkeypatch.undo()
        raise engine.dialect.loaded_dbapi.OperationalError("server closed the connection")

    monkeypatch.setattr(engine.dialect, "do_commit", commit_fails)
    failed = client.post("/api/v1/progress/events", json={"events": batch}, headers=learner)

    assert failed.status_code == 503
    assert failed.content_type == "application/problem+json"
    assert failed.headers["Retry-After"] == "1"
    assert "server closed" not in failed.get_data(as_text=True)
    assert all(written_before_the_error.values()), written_before_the_error
    assert set(written_before_the_error) == {model.__name__ for model in WRITTEN_BY_A_SYNC}
    with app.app_context():
        assert {model.__name__: rows(model) for model in WRITTEN_BY_A_SYNC} == {
            model.__name__: 0 for model in WRITTEN_BY_A_SYNC
        }

    retried = client.post("/api/v1/progress/events", json={"events": batch}, headers=learner)

    assert [result["status"] for result in retried.json["results"]] == ["accepted"] * 2
    with app.app_context():
        assert db.session.scalars(sa.select(BadgeAssertion.badge_slug)).all() == [
            "course-completed"
        ]
        assert sorted(db.session.scalars(sa.select(LedgerEntry.rule))) == [
            "course_completed",
            "lesson_completed",
            "lesson_completed",
            "module_completed",
        ]


def test_a_database_error_while_paying_points_leaves_no_progress_behind(
    app, client, auth_headers, tmp_path
):
    """The database fails on the first points written for a sync, after its progress: the
    request answers 503 and keeps neither."""
    import_folder(app, write_package(tmp_path / "course", slug="course", modules=1, lessons=2))
    learner = auth_headers()
    with app.app_context():
        engine = db.engine
    failed_statements = []

    def fail_on_points(_connection, _cursor, statement, parameters, _context, _executemany):
        if statement.lstrip().upper().startswith("INSERT INTO LEDGER_ENTRIES"):
            failed_statements.append(statement)
            lost = ConnectionError("server closed the connection unexpectedly")
            raise sa.exc.OperationalError(statement, parameters, lost)

    sa.event.listen(engine, "before_cursor_execute", fail_on_points)
    try:
        failed = client.post(
            "/api/v1/progress/events", json={"events": [completion("lesson-0-0")]}, headers=learner
        )
    finally:
        sa.event.remove(engine, "before_cursor_execute", fail_on_points)

    assert len(failed_statements) == 1
    assert failed.status_code == 503
    assert failed.content_type == "application/problem+json"
    with app.app_context():
        assert {model.__name__: rows(model) for model in WRITTEN_BY_A_SYNC} == {
            model.__name__: 0 for model in WRITTEN_BY_A_SYNC
        }


class OwnDatabase:
    """A database of the test's own, with the schema at the migrations' head, that can be
    taken away and brought back."""

    def __init__(self, url: str, take_away, bring_back):
        self.url = url
        self.take_away = take_away
        self.bring_back = bring_back


@pytest.fixture
def own_database(pytestconfig, tmp_path):
    """A database for this test alone, of the kind --db names, dropped afterwards."""
    if pytestconfig.getoption("--db") == "sqlite":
        folder = tmp_path / "database"
        folder.mkdir()
        elsewhere = tmp_path / "moved-away"
        database = OwnDatabase(
            f"sqlite:///{folder / 'carbonlit.sqlite3'}",
            take_away=lambda: folder.rename(elsewhere),
            bring_back=lambda: elsewhere.rename(folder),
        )
        build_schema(database.url)
        yield database
        return
    url = postgres_url("_own")
    name = url.database

    def allow_connections(allowed: bool) -> None:
        with _maintenance_connection(url) as connection:
            connection.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {allowed}')
            if not allowed:
                connection.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    (name,),
                )

    recreate_postgres_database(url)
    database = OwnDatabase(
        url.render_as_string(hide_password=False),
        take_away=lambda: allow_connections(False),
        bring_back=lambda: allow_connections(True),
    )
    build_schema(database.url)
    yield database
    drop_postgres_database(url)


def build_schema(url: str) -> None:
    """As the session's database is built: from the models, stamped at the head."""
    app = make_app(url)
    with app.app_context():
        db.create_all()
        stamp()
        db.engine.dispose()


def test_readyz_is_unready_while_the_database_is_gone_and_ready_once_it_is_back(
    own_database, app_factory
):
    """The probe asks the database each time: a connection the pool held from before the
    outage neither hides it nor outlives it."""
    client = app_factory(own_database.url).test_client()
    assert client.get("/readyz").status_code == 200

    own_database.take_away()
    try:
        gone = client.get("/readyz")
    finally:
        own_database.bring_back()
    back = client.get("/readyz")

    assert gone.status_code == 503
    assert gone.content_type == "application/problem+json"
    assert gone.json["detail"] == "The database is unreachable."
    assert back.status_code == 200
    assert back.json == {"status": "ok", "database": "ok", "migrations": "at head"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SECRETS = {name: secrets.token_urlsafe(48) for name in ("SECRET_KEY", "JWT_SECRET_KEY")}


class Server:
    """carbonlit under gunicorn in production settings, in a process group of its own so that
    SIGKILL takes the master and its workers down together, as a crash would."""

    def __init__(self, database_url: str, log: Path):
        self.port = free_port()
        environment = {
            **os.environ,
            "CARBONLIT_ENV": "production",
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRETS["SECRET_KEY"],
            "JWT_SECRET_KEY": SECRETS["JWT_SECRET_KEY"],
            "ARGON2_TIME_COST": "1",
            "ARGON2_MEMORY_COST_KIB": "8",
            "ARGON2_PARALLELISM": "1",
        }
        environment.pop("CONTENT_CACHE_URL", None)
        self.log = log.open("a")
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "learning:create_app({'RATELIMIT_ENABLED': False})",
            ],
            env=environment,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self._wait_until_ready(log)
        except BaseException:
            self.kill()
            raise

    def _wait_until_ready(self, log: Path) -> None:
        deadline = time.monotonic() + 30
        while True:
            assert self.process.poll() is None, log.read_text()
            try:
                if call(self.port, "GET", "/readyz")[0] == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.log.close()


def call(port: int, method: str, path: str, body=None, token=None) -> tuple[int, dict]:
    """One request to the local server; (status, JSON body) for any answer, an OSError or an
    HTTPException when there is none."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(
            method, path, body=None if body is None else json.dumps(body), headers=headers
        )
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read() or b"{}")
    finally:
        connection.close()


class Acknowledged:
    """What the writers saw: the learners whose registration the server answered 2xx, with
    their acknowledged events and pledges; the answers that were not what the API promises;
    and how many writers were cut off by a request that got no answer."""

    def __init__(self):
        self.lock = threading.Lock()
        self.learners: dict[str, dict] = {}
        self.unexpected: list = []
        self.cut_off = 0

    def total(self) -> int:
        with self.lock:
            return sum(
                1 + len(learner["events"]) + len(learner["pledges"])
                for learner in self.learners.values()
            )


def write_until_cut_off(port: int, acknowledged: Acknowledged) -> None:
    """A learner after another: register, sign in, pledge, sync three events; record each
    write the server acknowledged, and stop at the first request that gets no answer."""
    try:
        while True:
            email = f"writer-{uuid.uuid4().hex[:12]}@example.org"
            registration = {
                "email": email,
                "password": PASSWORD,
                "display_name": "Writer",
                "locale": "en",
            }
            status, answer = call(port, "POST", "/api/v1/auth/register", registration)
            if status != 201:
                acknowledged.unexpected.append(("register", status, answer))
                return
            learner = {"events": [], "pledges": []}
            with acknowledged.lock:
                acknowledged.learners[email] = learner
            credentials = {"email": email, "password": PASSWORD}
            status, answer = call(port, "POST", "/api/v1/auth/login", credentials)
            if status != 200:
                acknowledged.unexpected.append(("login", status, answer))
                return
            token = answer["access_token"]
            pledge = {"id": str(uuid.uuid4()), "action": "heat-pump"}
            status, answer = call(port, "POST", "/api/v1/me/pledges", pledge, token)
            if status != 201:
                acknowledged.unexpected.append(("pledge", status, answer))
                return
            with acknowledged.lock:
                learner["pledges"].append(pledge["id"])
            for _ in range(3):
                batch = {"events": [completion("lesson-0-0") | {"verb": "started"}]}
                status, answer = call(port, "POST", "/api/v1/progress/events", batch, token)
                if status != 200 or answer["results"][0]["status"] != "accepted":
                    acknowledged.unexpected.append(("sync", status, answer))
                    return
                with acknowledged.lock:
                    learner["events"].extend(batch["events"])
    except (OSError, http.client.HTTPException):
        with acknowledged.lock:
            acknowledged.cut_off += 1


def test_a_server_killed_mid_write_loses_no_acknowledged_write(own_database, tmp_path):
    """Four clients write until the server is killed under them (SIGKILL, workers and all);
    the restarted server has every write it acknowledged."""
    course = make_app(own_database.url)
    import_folder(course, write_package(tmp_path / "course", slug="course", modules=1, lessons=1))
    with course.app_context():
        db.engine.dispose()
    log = tmp_path / "gunicorn.log"
    acknowledged = Acknowledged()
    server = Server(own_database.url, log)
    writers = [
        threading.Thread(target=write_until_cut_off, args=(server.port, acknowledged))
        for _ in range(4)
    ]
    try:
        for writer in writers:
            writer.start()
        deadline = time.monotonic() + 15
        while acknowledged.total() < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        server.kill()
        for writer in writers:
            writer.join()

    assert acknowledged.unexpected == []
    assert acknowledged.total() >= 40
    assert acknowledged.cut_off == len(writers)
    server = Server(own_database.url, log)
    try:
        for email, learner in acknowledged.learners.items():
            credentials = {"email": email, "password": PASSWORD}
            status, answer = call(server.port, "POST", "/api/v1/auth/login", credentials)
            assert status == 200, (email, answer)
            token = answer["access_token"]
            for pledge in learner["pledges"]:
                status, _ = call(server.port, "GET", f"/api/v1/me/pledges/{pledge}", token=token)
                assert status == 200, (email, pledge)
            if learner["events"]:
                resent = {"events": learner["events"]}
                _, answer = call(server.port, "POST", "/api/v1/progress/events", resent, token)
                assert {result["status"] for result in answer["results"]} == {"duplicate"}
    finally:
        server.kill()
