"""Process-local copies of what the organisation configured, so pages do not query the database each time.

Every page shows the header (name, logo) and every article may carry notes; both change rarely.
Each snapshot is loaded once and kept until a save in the admin bumps its generation number in
Django's cache (shared by all app servers when the cache is), or until it is `MAX_AGE` old, which
bounds staleness when each process has its own cache.

Asking the shared cache for the generation is a network round trip, and a page or a check reads
these snapshots on every request (header, notes, the organisation's roots). Each asks at most once per
`recheck_seconds`, so another app server uses an admin's change within that time (a second); the
process that saved it uses it at once.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, NamedTuple, TypeVar

from django.core.cache import cache
from django.db import DatabaseError
from redis.exceptions import RedisError

T = TypeVar("T")
logger = logging.getLogger(__name__)

MAX_AGE_SECONDS = 60.0
# How stale a snapshot may be on another app server: one round trip a second per process instead of one
# per request (at hundreds of pages a second, most of a page's cost once it is cached; on a check, a wait
# for Redis on a busy machine before the diagnosis can start).
RECHECK_SECONDS = 1.0


class _Held(NamedTuple, Generic[T]):
    generation: object
    loaded_at: float
    checked_at: float
    value: T


class Snapshot(Generic[T]):
    def __init__(self, name: str, loader: Callable[[], T], empty: T, *, recheck_seconds: float = 0.0) -> None:
        self.name = name
        self.loader = loader
        self.empty = empty
        self.recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._held: _Held[T] | None = None

    @property
    def _key(self) -> str:
        return f"organisation:snapshot:{self.name}"

    def get(self) -> T:
        held = self._held
        now = time.monotonic()
        fresh = held is not None and now - held.loaded_at < MAX_AGE_SECONDS
        if fresh and now - held.checked_at < self.recheck_seconds:
            return held.value
        try:
            generation = cache.get(self._key, 0)
        except (RedisError, OSError):
            # The shared cache is unreachable (/readyz says so): keep serving what this process holds.
            generation = held.generation if held is not None else 0
        if fresh and held.generation == generation:
            self._held = held._replace(checked_at=now)
            return held.value
        try:
            value = self.loader()
        except DatabaseError:
            # Tables not created yet (migrate has not run): the site works as if nothing was configured,
            # and does not ask again on every page before MAX_AGE has passed.
            value = self.empty
        except RuntimeError:
            # Database access refused in this context (a test without database access, for one).
            # The header and notes are extras: the page is served without them.
            logger.debug("organisation snapshot %s not loaded: no database access", self.name)
            return self.empty
        with self._lock:
            self._held = _Held(generation, now, now, value)
        return value

    def invalidate(self) -> None:
        with self._lock:
            self._held = None
        try:
            cache.incr(self._key)
        except ValueError:
            cache.set(self._key, 1, timeout=None)
        except (RedisError, OSError):
            logger.warning("organisation snapshot %s: other app servers not told of the change (cache unavailable)",
                           self.name)
