"""One log line per request: id, method, path, status and duration, and nothing a person sent.

The path loses its query string (it can hold an email address) and any secret in it: the tokens
of share and delete links (and of any other route whose parameter is named like a token) are
replaced by the parameter's name. Bodies, form fields, headers and certificates never reach the log.
"""
from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .addresses import is_trusted

logger = logging.getLogger("smimecenter.requests")

# A request id our own proxy chose (nginx's $request_id) is kept, so both logs can be joined.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Paths that hold a secret even when they do not resolve (an expired or mistyped share link).
_SECRET_PREFIXES = ("/share/",)


def request_id(request: HttpRequest) -> str:
    offered = request.META.get("HTTP_X_REQUEST_ID", "")
    if offered and _REQUEST_ID.match(offered) and is_trusted(request.META.get("REMOTE_ADDR", ""),
                                                              settings.TRUSTED_PROXIES):
        return offered
    return uuid.uuid4().hex


def loggable_path(request: HttpRequest) -> str:
    """The path as it may be logged: no query, and each token-like route parameter masked."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if name.endswith("token") and isinstance(value, str) and value:
                path = path.replace(value, "{" + name + "}")
        return path
    for prefix in _SECRET_PREFIXES:
        if path.startswith(prefix) and len(path) > len(prefix):
            return prefix + "{token}/"
    return path


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request.request_id = request_id(request)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        if logger.isEnabledFor(logging.INFO):
            logger.info("%s %s %s", request.method, loggable_path(request), response.status_code, extra={"http": {
                "request_id": request.request_id,
                "method": request.method,
                "path": loggable_path(request),
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            }})
        return response


class MaskSecretPaths(logging.Filter):
    """Django's own lines about a request ("Not Found: /share/...") get the loggable path too."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest) and isinstance(record.args, tuple):
            path = request.path
            record.args = tuple(loggable_path(request) if arg == path else arg for arg in record.args)
        return True
