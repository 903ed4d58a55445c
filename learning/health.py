"""Liveness and readiness probes for load balancers and orchestrators."""

import os

import marshmallow as ma
import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask.views import MethodView

from learning.api import Blueprint
from learning.errors import problem_response
from learning.extensions import db

bp = Blueprint("health", __name__, description="Liveness and readiness probes.")


class HealthSchema(ma.Schema):
    status = ma.fields.String(required=True, metadata={"description": "ok when healthy"})


class ReadinessSchema(HealthSchema):
    database = ma.fields.String(required=True, metadata={"description": "ok or unreachable"})
    migrations = ma.fields.String(
        required=True, metadata={"description": "at head, or behind with the revisions"}
    )


def _migration_heads() -> set[str]:
    """The heads of the migration scripts, read once per app since scripts don't change."""
    heads = current_app.extensions.get("carbonlit.migration_heads")
    if heads is None:
        directory = current_app.extensions["migrate"].directory
        heads = set(ScriptDirectory(directory).get_heads())
        current_app.extensions["carbonlit.migration_heads"] = heads
    return heads


def _sqlite_file_gone(connection: sa.Connection) -> bool:
    """SQLite keeps serving a file deleted or moved away under an open connection, and what it
    writes there is lost when the process ends: such a database is gone."""
    if connection.dialect.name != "sqlite":
        return False
    path = connection.execute(sa.text("PRAGMA database_list")).first().file
    return bool(path) and not os.path.exists(path)


@bp.route("/healthz")
class Liveness(MethodView):
    @bp.response(200, HealthSchema)
    def get(self):
        """Is the process alive? Touches nothing else, so it measures the framework alone."""
        return {"status": "ok"}


@bp.route("/readyz")
class Readiness(MethodView):
    @bp.response(200, ReadinessSchema)
    @bp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def get(self):
        """Can this instance serve: database reachable and its schema at the migrations' head?"""
        try:
            with db.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
                reachable = not _sqlite_file_gone(connection)
                current = set(MigrationContext.configure(connection).get_current_heads())
        except sa.exc.SQLAlchemyError:
            reachable = False
        if not reachable:
            return problem_response(
                503, title="Service Unavailable", detail="The database is unreachable."
            )
        expected = _migration_heads()
        if current != expected:
            return problem_response(
                503,
                title="Service Unavailable",
                detail=f"The database is at {sorted(current) or 'no revision'}, "
                f"the code expects {sorted(expected)}; run flask db upgrade.",
            )
        return {"status": "ok", "database": "ok", "migrations": "at head"}
