"""Answers each process keeps for a few seconds, so that the pages everyone opens at once (a
commune's leaderboard on Friday, a class's progress during a lesson) are read from the
database once per process and period, not once per request.

What may lag, and by how long, is each caller's to say (its `*_CACHE_SECONDS` setting, 0 in
tests and to turn keeping off); an answer that turns stale at a known moment (a due time
passing, a meeting starting) says when with `until`, and is not kept past it. Processes keep
their own copies: nothing here is shared between workers or nodes, so keeping an answer never
changes what is stored, only how fresh a page may be.
"""

import threading
import time
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import TypeVar

from cachetools import TLRUCache
from flask import current_app

EXTENSION = "carbonlit.kept"
T = TypeVar("T")
_lock = threading.Lock()


class _Kept(TLRUCache):
    """Entries are (value, expiry as a Unix time); time.time is the clock, which tests move."""

    def __init__(self, size: int, seconds: int) -> None:
        super().__init__(size, ttu=lambda _key, entry, _now: entry[1], timer=time.time)
        self.seconds = seconds


def kept(
    name: str,
    key: Hashable,
    build: Callable[[], T],
    *,
    seconds: int,
    size: int,
    until: Callable[[T], datetime | None] | None = None,
) -> T:
    """build()'s value for `key` in the cache `name`, kept for `seconds` or until until(value)."""
    if not seconds:
        return build()
    caches = current_app.extensions.setdefault(EXTENSION, {})
    with _lock:
        cache = caches.get(name)
        if cache is None or cache.seconds != seconds:
            cache = caches[name] = _Kept(size, seconds)
        entry = cache.get(key)
    if entry is not None:
        return entry[0]
    value = build()
    expires = time.time() + seconds
    moment = until(value) if until is not None else None
    if moment is not None:
        expires = min(expires, moment.timestamp())
    with _lock:
        cache[key] = (value, expires)
    return value


def forget(name: str) -> None:
    """Drop what this process keeps in `name`, after a change it made (other processes' copies
    lag as their callers say)."""
    with _lock:
        cache = current_app.extensions.get(EXTENSION, {}).get(name)
        if cache is not None:
            cache.clear()
