"""Configuration by environment; production refuses unsafe defaults."""

import pytest

import config
from learning import create_app

STRONG = "s" * 40


class Production(config.ProductionConfig):
    SECRET_KEY = STRONG
    JWT_SECRET_KEY = STRONG
    SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://carbonlit@db.internal/carbonlit"


def test_production_starts_with_real_secrets():
    assert create_app(Production).config["ENV_NAME"] == "production"


@pytest.mark.parametrize("setting", ["SECRET_KEY", "JWT_SECRET_KEY"])
@pytest.mark.parametrize("value", [None, config.DEFAULT_SECRET, "short"])
def test_production_refuses_a_default_or_weak_secret(setting, value):
    unsafe = type("Unsafe", (Production,), {setting: value})

    with pytest.raises(RuntimeError, match=f"^{setting} must be set"):
        create_app(unsafe)


def test_production_refuses_to_run_without_a_database_url():
    unsafe = type("Unsafe", (Production,), {"SQLALCHEMY_DATABASE_URI": None})

    with pytest.raises(RuntimeError, match="DATABASE_URL must be set"):
        create_app(unsafe)


def test_the_environment_chooses_the_configuration(monkeypatch):
    monkeypatch.setenv("CARBONLIT_ENV", "testing")
    assert config.from_environment() is config.TestingConfig
    monkeypatch.setenv("CARBONLIT_ENV", "staging")
    with pytest.raises(RuntimeError, match="CARBONLIT_ENV must be one of"):
        config.from_environment()


def test_the_default_database_is_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)

    app = create_app({"SQLALCHEMY_DATABASE_URI": None, "TESTING": True})

    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/carbonlit.sqlite3")


def test_sqlite_runs_with_wal_and_foreign_keys(app):
    from learning.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            pytest.skip("SQLite's own settings")
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
