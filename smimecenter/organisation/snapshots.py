"""Process-local copies of what the organisation configured, so pages do not query the database each time.

Every page shows the header (name, logo) and every article may carry notes; both change rarely.
Each snapshot is loaded once and kept until a save in the admin bumps its generation number in
Django's cache (shared by all app servers when the cache is), or until it is `MAX_AGE` old, which
bounds staleness when each process has its own cache.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.core.cache import cache
from django.db import DatabaseError
from redis.exceptions import RedisError

T = TypeVar("T")
logger = logging.getLogger(__name__)

MAX_AGE_SECONDS = 60.0


class Snapshot(Generic[T]):
    def __init__(self, name: str, loader: Callable[[], T], empty: T) -> None:
        self.name = name
        self.loader = loader
        self.empty = empty
        self._lock = threading.Lock()
        self._held: tuple[object, float, T] | None = None   # (generation, loaded at, value)

    @property
    def _key(self) -> str:
        return f"organisation:snapshot:{self.name}"

    def get(self) -> T:
        held = self._held
        try:
            generation = cache.get(self._key, 0)
        except (RedisError, OSError):
            # The shared cache is unreachable (/readyz says so): keep serving what this process holds.
            generation = held[0] if held is not None else 0
        if held is not None and held[0] == generation and time.monotonic() - held[1] < MAX_AGE_SECONDS:
            return held[2]
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
            self._held = (generation, time.monotonic(), value)
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
