"""/healthz (the process answers) and /readyz (it can serve: database, cache, content, trust store).

Both are answered before any other middleware: a load balancer polls them every second by address,
over plain HTTP, without a host name the site knows, and they must not fill the request log. After
the first load, /readyz costs one database query and two cache round trips.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable

from django.core.cache import cache, caches
from django.db import connection
from django.http import HttpRequest, HttpResponse

_READY_KEY = "operations:readyz"


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _cache() -> str:
    stamp = str(time.time())
    cache.set(_READY_KEY, stamp, timeout=10)
    if cache.get(_READY_KEY) != stamp:
        raise RuntimeError("a value written to the cache did not read back")
    return type(caches["default"]).__name__


def _content() -> str:
    from smimecenter.learn.current import library

    pages = len(library().pages)
    if not pages:
        raise RuntimeError("no pages loaded")
    return f"{pages} pages"


def _trust_store() -> str:
    from smimecenter.diagnostics.trust import email_trust_store

    anchors = len(email_trust_store())
    if not anchors:
        raise RuntimeError("no roots loaded")
    return f"{anchors} roots"


PARTS: dict[str, Callable[[], str]] = {
    "database": _database,
    "cache": _cache,
    "content": _content,
    "trust_store": _trust_store,
}


def readiness() -> tuple[bool, dict[str, dict[str, object]]]:
    """Each part's state; a failing part says what kind of error it met, never its message (which may
    name hosts or users)."""
    states: dict[str, dict[str, object]] = {}
    for name, probe in PARTS.items():
        started = time.perf_counter()
        try:
            detail, ok = probe(), True
        except Exception as problem:  # noqa: BLE001  (any failure means "not ready", reported, not raised)
            detail, ok = type(problem).__name__, False
        states[name] = {"ok": ok, "detail": detail, "ms": round((time.perf_counter() - started) * 1000, 2)}
    return all(state["ok"] for state in states.values()), states


def _json(body: dict[str, object], status: int) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


def warm_up() -> None:
    """Load what /readyz checks, so that a new worker's first visitor does not wait for it."""
    readiness()


class HealthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return _json({"status": "ok"}, 200)
        if request.path == "/readyz":
            ready, parts = readiness()
            return _json({"status": "ready" if ready else "unready", "parts": parts}, 200 if ready else 503)
        return self.get_response(request)
