"""Liveness and readiness."""

import sqlalchemy as sa

from learning.extensions import db


def test_healthz_answers_ok(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_readyz_is_ready_when_the_schema_is_at_head(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "migrations": "at head"}


def test_readyz_is_unready_when_migrations_are_behind(app, client):
    with app.app_context(), db.engine.begin() as connection:
        (version,) = connection.execute(sa.text("SELECT version_num FROM alembic_version")).one()
        connection.execute(sa.text("UPDATE alembic_version SET version_num = 'behind'"))
    try:
        response = client.get("/readyz")
    finally:
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(
                sa.text("UPDATE alembic_version SET version_num = :v"), {"v": version}
            )

    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
    assert "flask db upgrade" in response.json["detail"]


def test_readyz_is_unready_when_the_database_is_unreachable(database_url, app_factory):
    if database_url.startswith("sqlite"):
        unreachable = "sqlite:////nonexistent-directory/carbonlit.sqlite3"
    else:
        unreachable = "postgresql+psycopg://postgres@127.0.0.1:1/carbonlit"
    app = app_factory(unreachable)

    response = app.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.json["detail"] == "The database is unreachable."
