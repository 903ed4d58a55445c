"""Configuration classes chosen by CARBONLIT_ENV; deployments set them through the environment."""

import json
import os
from datetime import timedelta

DEFAULT_SECRET = "dev-only-secret-change-me-for-any-real-deployment"


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Config:
    """Settings shared by every environment; each reads its environment variable first."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
    # None means an embedded SQLite file in the instance folder, resolved by create_app.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    # Pinging each connection as the pool hands it out costs a round trip per request; without
    # it, the first request on a connection dropped by a database restart gets a 503 (and the
    # pool, told of the disconnect, replaces its other connections). 0: no ping.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": bool(_env_int("DATABASE_PRE_PING", 1))}

    JWT_SECRET_KEY = os.environ.get("JWT_SECRET_KEY", DEFAULT_SECRET)
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(seconds=_env_int("ACCESS_TOKEN_SECONDS", 15 * 60))
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(seconds=_env_int("REFRESH_TOKEN_SECONDS", 30 * 86400))
    JWT_TOKEN_LOCATION = ["headers"]
    JWT_ERROR_MESSAGE_KEY = "detail"

    # Argon2id parameters: the library's defaults (RFC 9106 low-memory profile).
    ARGON2_TIME_COST = _env_int("ARGON2_TIME_COST", 3)
    ARGON2_MEMORY_COST_KIB = _env_int("ARGON2_MEMORY_COST_KIB", 65536)
    ARGON2_PARALLELISM = _env_int("ARGON2_PARALLELISM", 4)

    CORS_ORIGINS = _env_list("CORS_ORIGINS", "http://localhost:3000,http://127.0.0.1:3000")

    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "10 per minute; 100 per hour")
    # A password reset link works once, for this long, and only until the password changes.
    PASSWORD_RESET_SECONDS = _env_int("PASSWORD_RESET_SECONDS", 3600)
    # The page of the web frontend that asks for the new password; {token} is replaced. The
    # token travels in the fragment, which browsers never send to a server or in a Referer.
    # Unset: PUBLIC_BASE_URL + "/reset-password#token={token}".
    PASSWORD_RESET_URL = os.environ.get("PASSWORD_RESET_URL") or None

    # The largest body of an upload (a course package); every other request, JSON, is held to
    # MAX_JSON_BODY_BYTES (learning/middleware.py). Both answer 413 beyond.
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 20 * 1024 * 1024)
    MAX_JSON_BODY_BYTES = _env_int("MAX_JSON_BODY_BYTES", 1024 * 1024)
    COURSE_MAX_FILES = _env_int("COURSE_MAX_FILES", 2000)
    COURSE_MAX_UNPACKED_BYTES = _env_int("COURSE_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)
    PROGRESS_MAX_BATCH = _env_int("PROGRESS_MAX_BATCH", 500)
    # Offline clients' clocks drift; an event further ahead than this is refused.
    PROGRESS_MAX_CLOCK_SKEW_SECONDS = _env_int("PROGRESS_MAX_CLOCK_SKEW_SECONDS", 300)
    # Published outlines and lessons: a per-process LRU of this many entries, and Redis when a
    # URL is set (shared by every worker and node; entries expire after CONTENT_CACHE_SECONDS).
    # With Redis every process learns of a publication at once; without it, other processes
    # re-read which version is published after CONTENT_CACHE_RECHECK_SECONDS.
    CONTENT_CACHE_URL = os.environ.get("CONTENT_CACHE_URL") or None
    CONTENT_CACHE_SIZE = _env_int("CONTENT_CACHE_SIZE", 4096)
    CONTENT_CACHE_SECONDS = _env_int("CONTENT_CACHE_SECONDS", 86400)
    CONTENT_CACHE_RECHECK_SECONDS = _env_int("CONTENT_CACHE_RECHECK_SECONDS", 1)
    # Public impact figures change slowly (and are sent with max-age=300): each process keeps
    # a scope's figures this long instead of adding up its pledges on every request. 0: off.
    IMPACT_CACHE_SECONDS = _env_int("IMPACT_CACHE_SECONDS", 60)
    # A leaderboard's top and the points ranks are counted in are kept per process this long
    # (my own points are always read fresh): ranks and names may lag by as much. 0: off.
    LEADERBOARD_CACHE_SECONDS = _env_int("LEADERBOARD_CACHE_SECONDS", 30)
    # How long each process keeps a class's progress matrix: learners' progress may lag by as
    # much; changes to the class itself (assignments, learners) show at once.
    CLASS_PROGRESS_CACHE_SECONDS = _env_int("CLASS_PROGRESS_CACHE_SECONDS", 15)
    # How long each process keeps a page of circle discovery as anyone sees it: seat counts
    # and new circles may lag by as much (my status in each circle never does).
    CIRCLE_LIST_CACHE_SECONDS = _env_int("CIRCLE_LIST_CACHE_SECONDS", 10)
    QUIZ_MAX_ATTEMPTS = _env_int("QUIZ_MAX_ATTEMPTS", 0)  # 0: no limit
    QUIZ_MIN_SECONDS_BETWEEN_ATTEMPTS = _env_int("QUIZ_MIN_SECONDS_BETWEEN_ATTEMPTS", 0)
    CLASS_DUE_SOON_DAYS = _env_int("CLASS_DUE_SOON_DAYS", 7)
    # Counts only wrong or expired join codes, per account: it stops guessing, not classes.
    CLASS_JOIN_RATE_LIMIT = os.environ.get("CLASS_JOIN_RATE_LIMIT", "10 per minute; 30 per day")
    # Points rules by event name, as JSON, over learning/gamification/rules.yaml.
    POINTS_RULES = json.loads(os.environ.get("POINTS_RULES", "{}"))
    STREAK_WEEKLY_GOAL_DAYS = _env_int("STREAK_WEEKLY_GOAL_DAYS", 3)
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # The Open Badges issuer: the organisation that stands behind every badge and certificate.
    BADGE_ISSUER_NAME = os.environ.get("BADGE_ISSUER_NAME", "carbonlit")
    BADGE_ISSUER_URL = os.environ.get("BADGE_ISSUER_URL") or None  # None: PUBLIC_BASE_URL
    BADGE_ISSUER_EMAIL = os.environ.get("BADGE_ISSUER_EMAIL", "badges@example.org")
    # Outbox delivery (flask notify send): by SMTP when SMTP_HOST is set, else to the log.
    SMTP_HOST = os.environ.get("SMTP_HOST") or None
    SMTP_PORT = _env_int("SMTP_PORT", 587)
    SMTP_USER = os.environ.get("SMTP_USER") or None
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD") or None
    SMTP_STARTTLS = os.environ.get("SMTP_STARTTLS", "true").lower() in ("1", "true", "yes")
    SMTP_TIMEOUT_SECONDS = _env_int("SMTP_TIMEOUT_SECONDS", 30)
    MAIL_FROM = os.environ.get("MAIL_FROM", "carbonlit <noreply@localhost>")

    API_TITLE = "carbonlit"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "/api/docs/assets/"


class DevelopmentConfig(Config):
    """A laptop: the embedded SQLite database and readable defaults."""


class TestingConfig(Config):
    """The test suite: fast password hashes, no rate limits unless a test turns them on."""

    ENV_NAME = "testing"
    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_ENABLED = False
    # Tests read the figures right after changing pledges.
    IMPACT_CACHE_SECONDS = 0
    LEADERBOARD_CACHE_SECONDS = 0
    CLASS_PROGRESS_CACHE_SECONDS = 0
    CIRCLE_LIST_CACHE_SECONDS = 0
    # A test's own publications reach its cache at once; re-reading which version is published
    # after a second would add a statement to a counted request on a slow run. Tests of other
    # processes' caches set their own.
    CONTENT_CACHE_RECHECK_SECONDS = 3600
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST_KIB = 8
    ARGON2_PARALLELISM = 1


class ProductionConfig(Config):
    """A real deployment: secrets and the database must come from the environment."""

    ENV_NAME = "production"

    @staticmethod
    def check(settings) -> None:
        """Refuse to start with a default or missing secret or database; one line says why."""
        for name in ("SECRET_KEY", "JWT_SECRET_KEY"):
            value = settings.get(name)
            if not value or value == DEFAULT_SECRET or len(value) < 32:
                raise RuntimeError(
                    f"{name} must be set to a random value of at least 32 characters in production"
                )
        if not settings.get("SQLALCHEMY_DATABASE_URI"):
            raise RuntimeError("DATABASE_URL must be set in production")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def from_environment() -> type[Config]:
    """The configuration class named by CARBONLIT_ENV (development when unset)."""
    name = os.environ.get("CARBONLIT_ENV", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"CARBONLIT_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]
