"""A per-client ceiling on diagnoses, counted in Django's cache.

A fixed one-minute window per client address is enough to stop one client from keeping the CPU busy
with PKCS#12 key derivations; it is not meant to be exact. The client is REMOTE_ADDR: behind a
reverse proxy, the proxy must set it (for example through the WSGI server's forwarded-address option).
"""
from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 60


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def over_limit(request: HttpRequest) -> bool:
    """Count this diagnosis for its client; True once the client has gone past the limit this minute."""
    allowed = settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE
    if allowed <= 0:
        return False
    window = int(time.time() // WINDOW_SECONDS)
    key = f"tools:diagnoses:{client_address(request)}:{window}"
    # add() is a no-op when the key exists, so concurrent first requests do not reset each other.
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    return count > allowed


def retry_after_seconds() -> int:
    return WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS
