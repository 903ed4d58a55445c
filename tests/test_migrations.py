"""The migrations build the schema the models describe, and run down and up again."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from learning.extensions import db
from tests.conftest import (
    drop_postgres_database,
    make_app,
    postgres_url,
    recreate_postgres_database,
)


@pytest.fixture
def empty_database_url(pytestconfig, tmp_path):
    """A database of its own, apart from the one the other tests share."""
    if pytestconfig.getoption("--db") == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    url = postgres_url("_migrations")
    recreate_postgres_database(url)
    yield url.render_as_string(hide_password=False)
    drop_postgres_database(url)


def _table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


@pytest.fixture
def migrations_app(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        yield app
        db.engine.dispose()


def test_models_and_migrations_do_not_drift(migrations_app):
    upgrade()
    with db.engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), db.metadata
        )

    assert differences == [], "run: flask --app learning db migrate -m '...'"


def test_upgrade_downgrade_upgrade(migrations_app):
    upgrade()
    assert _table_names() == set(db.metadata.tables)
    downgrade(revision="base")
    assert _table_names() == set()
    upgrade()
    assert _table_names() == set(db.metadata.tables)
