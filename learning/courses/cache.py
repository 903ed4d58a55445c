"""The cache of published course content, and of which version of each course is published.

A published version never changes, so content cached under a version's key is never stale; it
lives in a bounded LRU in each process and, when CONTENT_CACHE_URL names a Redis, there too, so
that every worker and node fills it once. Which version is published does change: the answer
is kept per process with the publication generation it was read under. Every commit that
publishes a version bumps the generation (in Redis, shared by everyone; without Redis, in this
process, and other processes re-read at most CONTENT_CACHE_RECHECK_SECONDS later).
"""

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

import redis
import sqlalchemy as sa
from cachetools import LRUCache
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from learning.courses.models import PUBLISHED, CourseVersion

log = logging.getLogger(__name__)

EXTENSION = "carbonlit.content_cache"
GENERATION_KEY = "carbonlit:content:generation"
PUBLISHED_FLAG = "carbonlit.published_a_version"


@dataclass(frozen=True)
class Published:
    """Which version of a course was published, under which generation, and when it was read."""

    ref: Any
    generation: int
    read_at: float


class ContentCache:
    """Immutable content in a bounded LRU (and in Redis when given one), plus the per-process
    answers to "which version is published", checked against the publication generation."""

    def __init__(
        self, *, size: int, recheck_seconds: int, redis_url: str | None, redis_seconds: int
    ):
        self._entries: LRUCache = LRUCache(maxsize=size)
        self._redis_seconds = redis_seconds
        self._published: dict[str, Published] = {}
        self._generation = 0
        self._recheck_seconds = recheck_seconds
        # Threaded servers (flask run) share one cache between threads.
        self._lock = threading.Lock()
        self._redis = (
            redis.Redis.from_url(redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)
            if redis_url
            else None
        )

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._entries.get(key)
        if value is None and self._redis is not None:
            value = self._shared(lambda client: client.get(f"carbonlit:content:{key}")) or None
            if value is not None:
                with self._lock:
                    self._entries[key] = value
        return value

    def set(self, key: str, value: bytes) -> None:
        with self._lock:
            self._entries[key] = value
        if self._redis is not None:
            self._shared(
                lambda client: client.set(f"carbonlit:content:{key}", value, ex=self._redis_seconds)
            )

    def published(self, slug: str):
        """The ref recorded for slug while it still holds, else None (read it again)."""
        generation = self.generation()
        if generation is None:
            return None
        found = self._published.get(slug)
        if found is None or found.generation != generation:
            return None
        if self._redis is None and time.monotonic() - found.read_at > self._recheck_seconds:
            return None
        return found.ref

    def remember_published(self, slug: str, ref, generation: int | None) -> None:
        if generation is not None:
            self._published[slug] = Published(ref, generation, time.monotonic())

    def generation(self) -> int | None:
        """The publication generation; None when Redis cannot say (then nothing is trusted)."""
        if self._redis is None:
            return self._generation
        value = self._shared(lambda client: client.get(GENERATION_KEY))
        if value is False:
            return None
        return int(value or 0)

    def publication_committed(self) -> None:
        self._generation += 1
        if self._redis is not None:
            self._shared(lambda client: client.incr(GENERATION_KEY))

    def _shared(self, command):
        """Run a Redis command; an unreachable Redis answers False and is logged, never raised."""
        try:
            return command(self._redis)
        except redis.RedisError as error:
            log.warning("content cache: Redis unreachable, using the database: %s", error)
            return False


def content_cache() -> ContentCache:
    """This app's cache, made on first use as the configuration says (CONTENT_CACHE_*)."""
    cache = current_app.extensions.get(EXTENSION)
    if cache is None:
        config = current_app.config
        cache = ContentCache(
            size=config["CONTENT_CACHE_SIZE"],
            recheck_seconds=config["CONTENT_CACHE_RECHECK_SECONDS"],
            redis_url=config["CONTENT_CACHE_URL"],
            redis_seconds=config["CONTENT_CACHE_SECONDS"],
        )
        current_app.extensions[EXTENSION] = cache
    return cache


@sa.event.listens_for(Session, "after_flush")
def _note_publication(session: Session, _context) -> None:
    """Remember that this transaction published a version, whichever service did it."""
    for instance in session.dirty | session.new:
        if isinstance(instance, CourseVersion) and instance.status == PUBLISHED:
            history = sa.inspect(instance).attrs.status.history
            if history.added:
                session.info[PUBLISHED_FLAG] = True


@sa.event.listens_for(Session, "after_commit")
def _announce_publication(session: Session) -> None:
    """Only once it is committed, so that whoever re-reads finds the new version."""
    if session.info.pop(PUBLISHED_FLAG, False) and has_app_context():
        content_cache().publication_committed()


@sa.event.listens_for(Session, "after_rollback")
def _forget_publication(session: Session) -> None:
    session.info.pop(PUBLISHED_FLAG, None)
