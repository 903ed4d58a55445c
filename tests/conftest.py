"""Fixtures: an app on SQLite or PostgreSQL (--db), a clean database per test, users and tokens.

Choose the database with `pytest --db=postgresql` or CARBONLIT_TEST_DB=postgresql. The
PostgreSQL server is TEST_POSTGRES_URL (default: postgres on 127.0.0.1:5432, trust auth); each
run makes its own database there and drops it at the end. When the server cannot be reached
every test skips and says why.
"""

import contextlib
import os
import uuid

import psycopg
import pytest
import sqlalchemy as sa
from flask_migrate import stamp

from config import TestingConfig
from learning import create_app
from learning.extensions import db

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/carbonlit_test"
PASSWORD = "correct horse battery"


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        choices=["sqlite", "postgresql"],
        default=os.environ.get("CARBONLIT_TEST_DB", "sqlite"),
        help="The database the suite runs against.",
    )


def pytest_report_header(config):
    return f"carbonlit test database: {config.getoption('--db')}"


def pytest_collection_modifyitems(config, items):
    if config.getoption("--db") == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: runs in the --db=postgresql pass")
    for item in items:
        if "postgresql_only" in item.keywords:
            item.add_marker(skip)


def postgres_url(suffix: str = "") -> sa.URL:
    """The test database; its name carries this process's id, so parallel runs never collide."""
    url = sa.make_url(os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    return url.set(database=f"{url.database}{suffix}_{os.getpid()}")


def _maintenance_connection(url: sa.URL):
    try:
        return psycopg.connect(
            host=url.host,
            port=url.port or 5432,
            user=url.username,
            password=url.password,
            dbname="postgres",
            autocommit=True,
            connect_timeout=3,
        )
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable at {url.host}:{url.port or 5432}: {error}")


def recreate_postgres_database(url: sa.URL) -> None:
    """Drop and create the database named by url, through the server's postgres database."""
    with _maintenance_connection(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{url.database}"')


def drop_postgres_database(url: sa.URL) -> None:
    with _maintenance_connection(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(pytestconfig, tmp_path_factory):
    """A fresh, empty database for this test session."""
    if pytestconfig.getoption("--db") == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'carbonlit.sqlite3'}"
        return
    url = postgres_url()
    recreate_postgres_database(url)
    yield url.render_as_string(hide_password=False)
    drop_postgres_database(url)


def make_app(database_url: str, **overrides):
    settings = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    settings.update(SQLALCHEMY_DATABASE_URI=database_url, **overrides)
    return create_app(settings)


@pytest.fixture(scope="session")
def _schema(database_url):
    """Build the schema once per session from the models, stamped at the migrations' head;
    tests/test_migrations.py proves the migrations build the same schema."""
    app = make_app(database_url)
    with app.app_context():
        db.create_all()
        stamp()
        db.engine.dispose()


@pytest.fixture
def app(database_url, _schema):
    app = make_app(database_url)
    yield app
    with app.app_context():
        _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def app_factory(database_url, _schema):
    """Make apps with other settings; their connections are closed after the test."""
    made = []

    def factory(url=None, **overrides):
        made.append(make_app(url or database_url, **overrides))
        return made[-1]

    yield factory
    for app in made:
        with app.app_context():
            db.engine.dispose()


def _empty_all_tables() -> None:
    tables = list(db.metadata.sorted_tables)
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        with db.engine.begin() as connection:
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        with db.engine.begin() as connection:
            for table in reversed(tables):
                connection.execute(table.delete())


@pytest.fixture(autouse=True)
def _push_request_context():
    """Replace pytest-flask's context for the whole test: each request gets its own session,
    as in production (see flask-sqlalchemy#1171). Tests push an app context where they
    touch the database directly."""


@pytest.fixture
def count_queries(app):
    """A context manager counting the SQL statements run inside it: `with count_queries() as n`."""

    @contextlib.contextmanager
    def counting():
        statements = []

        def record(_conn, _cursor, statement, *_args):
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)

    return counting


@pytest.fixture
def make_user(app):
    """Create a user through the service the CLI uses; returns (user id, email)."""
    from learning.accounts import services

    def make(*, roles=(), email=None, display_name="Learner", locale="nl", password=PASSWORD):
        email = email or f"user-{uuid.uuid4().hex[:10]}@example.org"
        with app.app_context():
            user = services.create_user(
                email=email,
                password=password,
                display_name=display_name,
                locale=locale,
                roles=roles,
            )
            return user.id, user.email

    return make


@pytest.fixture
def login(client):
    """Sign in over the API and return the login answer (access and refresh tokens)."""

    def sign_in(email, password=PASSWORD):
        response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.json
        return response.json

    return sign_in


@pytest.fixture
def auth_headers(make_user, login):
    """Headers of a newly created user with the given roles."""

    def headers(*roles, **user_fields):
        _, email = make_user(roles=roles, **user_fields)
        return {"Authorization": f"Bearer {login(email)['access_token']}"}

    return headers
