"""How many worker processes and threads a server runs, and whether the configured cache is shared between them.

Plain functions without Django, so that settings, the gunicorn configuration and the deployment checks
all decide the same way.
"""
from __future__ import annotations

import os
from collections.abc import Mapping

from smimecenter.env import env_bool

# Caches that live inside one process: each worker counts its own rate limits and keeps its own idea
# of the organisation's settings.
PER_PROCESS_BACKENDS = frozenset({
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
})


def default_workers() -> int:
    """One worker process per core.

    gunicorn's "two per core, plus one" is for synchronous workers that wait on the network. A page
    here is CPU work under Python's GIL, so more processes than cores only take turns on the same
    cores: `make bench-load` on 2 cores gave p99 97-114 ms (three runs) with one process per core,
    151-163 ms with two and 205 ms with four, at 1,170-1,580 requests/s.
    """
    return os.cpu_count() or 1


def default_threads() -> int:
    """Threads per worker process: one, or four when the site asks certificate authorities online.

    A request here is CPU work under Python's GIL plus local round trips (Redis, PostgreSQL) of a
    fraction of a millisecond; key derivation for a .p12 holds the GIL throughout. Two threads in one
    process only take turns on one core, and a thread back from a Redis call waits for the other's turn
    (up to Python's 5 ms switch interval). On 2 cores, one thread against two: the check's page under
    50 clients (bench/bench_paths.py) p95 20-23 ms against 25-30 ms, and `make bench-load` 1,583
    requests/s with p99 79 ms against 1,480 and 88 ms. With online checks on (DIAGNOSE_ONLINE), a check
    can wait seconds for a CA's server with the GIL released: four threads keep the process serving.
    """
    return 4 if env_bool("DIAGNOSE_ONLINE", False) else 1


def cache_is_per_process(caches: Mapping[str, Mapping[str, object]]) -> bool:
    return caches.get("default", {}).get("BACKEND") in PER_PROCESS_BACKENDS


def per_process_cache_problem(caches: Mapping[str, Mapping[str, object]], workers: int) -> str | None:
    """Why these workers cannot share their state, in words for the person deploying; None when they can."""
    if workers <= 1 or not cache_is_per_process(caches):
        return None
    return (f"{workers} worker processes would each keep their own cache, so rate limits would let "
            f"{workers} times too much through and admin changes would reach the others late. "
            "Set CACHE_URL=redis://host:6379/0 to share one cache, or WEB_CONCURRENCY=1 if a single "
            "process is intended.")
