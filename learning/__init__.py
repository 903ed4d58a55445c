"""carbonlit: a backend for carbon-literacy learning in the Brussels-Capital Region.

The HTTP API lives under /api/v1; its OpenAPI document is /api/openapi.json and its
interactive reference, which works offline, is /api/docs.

- Send and receive JSON. Errors are RFC 9457 problem+json documents with `type`, `title`,
  `status`, `detail` and, for invalid input, `errors: {field: [messages]}`. A 503 with
  `Retry-After` means the database failed under the request: send the same request again
  after that many seconds (a write sent twice with its id is recorded once).
- Sign in with POST /api/v1/auth/login and send `Authorization: Bearer <access token>`.
  Access tokens live 15 minutes; trade the refresh token at POST /api/v1/auth/refresh for a
  new pair. A refresh token works once: presenting it twice revokes every token issued
  from the same sign-in.
- Every response carries an `X-Request-ID`; quote it when reporting a problem.
"""

import logging
import os
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, send_from_directory
from swagger_ui_bundle import swagger_ui_path

import config as config_module
from learning import middleware
from learning.api import IdConverter
from learning.errors import register_error_handlers
from learning.extensions import api, cors, db, jwt, limiter, migrate
from learning.json_provider import OrjsonProvider

MIGRATIONS_DIRECTORY = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config: type | dict | None = None) -> Flask:
    """Build the application; nothing is created at import time.

    `config` is a configuration class from config.py, or a mapping of overrides on top of
    the class CARBONLIT_ENV names.
    """
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = IdConverter
    if isinstance(config, type):
        app.config.from_object(config)
    else:
        app.config.from_object(config_module.from_environment())
        app.config.update(config or {})
    if app.config.get("ENV_NAME") == "production":
        config_module.ProductionConfig.check(app.config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        database = Path(app.instance_path) / "carbonlit.sqlite3"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
    app.json = OrjsonProvider(app)
    # The package docstring doubles as the manual at the top of the OpenAPI document.
    app.config.setdefault("API_SPEC_OPTIONS", {"info": {"description": __doc__}})

    _configure_logging(app)
    _init_extensions(app)
    middleware.init_app(app)
    register_error_handlers(app)
    _register_blueprints(app)
    _register_event_handlers(app)
    _register_cli(app)
    return app


def _configure_logging(app: Flask) -> None:
    logger = logging.getLogger("learning")
    if not app.testing and not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sa.event.listen(db.engine, "connect", _tune_sqlite)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIRECTORY), render_as_batch=True)
    jwt.init_app(app)
    limiter.init_app(app)
    cors.init_app(
        app,
        resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"]}},
        expose_headers=["X-Request-ID", "ETag", "Content-Language", "Retry-After"],
    )
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )

    from learning.accounts.auth import init_jwt

    init_jwt(jwt)


def _tune_sqlite(connection, _record) -> None:
    """WAL lets readers and a writer work at once; SQLite leaves foreign keys off unless asked."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _register_blueprints(app: Flask) -> None:
    from learning import health
    from learning.accounts.routes import bp as accounts_bp
    from learning.actions.pages import bp as impact_pages_bp
    from learning.actions.routes import bp as actions_bp
    from learning.badges.routes import bp as badges_bp
    from learning.badges.routes import ob as openbadges_bp
    from learning.certification.routes import bp as certification_bp
    from learning.circles.routes import bp as circles_bp
    from learning.classes.routes import bp as classes_bp
    from learning.courses.routes import authoring_bp
    from learning.courses.routes import bp as courses_bp
    from learning.gamification.routes import bp as gamification_bp
    from learning.privacy.routes import bp as privacy_bp
    from learning.progress.routes import bp as progress_bp

    api.register_blueprint(health.bp)
    api.register_blueprint(accounts_bp)
    api.register_blueprint(courses_bp)
    api.register_blueprint(authoring_bp)
    api.register_blueprint(progress_bp)
    api.register_blueprint(gamification_bp)
    api.register_blueprint(classes_bp)
    api.register_blueprint(actions_bp)
    api.register_blueprint(circles_bp)
    api.register_blueprint(badges_bp)
    api.register_blueprint(openbadges_bp)
    api.register_blueprint(certification_bp)
    api.register_blueprint(privacy_bp)
    app.register_blueprint(impact_pages_bp)

    @app.route("/api/docs/assets/<path:filename>")
    def swagger_ui_assets(filename):
        """Swagger UI's files, from a Python package, so the docs work without the internet."""
        return send_from_directory(swagger_ui_path, filename, max_age=86400)


def _register_event_handlers(app: Flask) -> None:
    """Domains that react to other domains' events connect their receivers here."""
    from learning.badges.awards import init_app as init_badges
    from learning.gamification.handlers import init_app as init_gamification

    init_gamification(app)
    init_badges(app)


def _register_cli(app: Flask) -> None:
    from learning.accounts.cli import users_cli
    from learning.courses.cli import courses_cli
    from learning.gamification.cli import points_cli
    from learning.notifications.cli import notify_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(courses_cli)
    app.cli.add_command(notify_cli)
    app.cli.add_command(points_cli)
