"""gunicorn's settings for SMIME Center; gunicorn reads this file when started in this folder.

Every value can still be overridden on the command line or in GUNICORN_CMD_ARGS. See docs/deploy.md.
"""
from __future__ import annotations

import os
import sys

from gunicorn import glogging

from smimecenter.operations.serving import default_threads, default_workers, per_process_cache_problem

wsgi_app = "smimecenter.wsgi:application"
bind = [os.environ.get("BIND", "127.0.0.1:8000")]
# Worker processes: one per core (WEB_CONCURRENCY overrides; the settings read the same variable, so
# the deployment checks know how many processes share the cache). Threads: one each, four when online
# checks are on (serving.default_threads says why). Threaded workers keep connections to the proxy open
# between requests (keep-alive), where a synchronous worker accepts and closes one per request: 1.3-1.5
# ms of CPU per request in the load run instead of 1.9 (bench/bench_load.py).
workers = int(os.environ.get("WEB_CONCURRENCY") or default_workers())
worker_class = "gthread"
threads = default_threads()
# A worker silent for this long is killed and replaced. The slowest legitimate diagnosis (a PKCS#12
# file at the largest allowed key-derivation count) takes a few seconds.
timeout = 30
# HUP or TERM: workers finish the requests they hold, for up to this long, before they go.
graceful_timeout = 30
# Seconds an idle connection stays open. Longer than the proxy keeps an idle upstream connection
# (nginx: `keepalive_timeout 60s` in the upstream block, its default), so the proxy, not gunicorn,
# closes it: a request nginx sends just as gunicorn closes would fail, and a POST is not retried.
keepalive = 75
# Replace each worker after this many requests (jitter: not all at once), bounding slow growth. A new
# worker costs most of a CPU-second (Django, the pages, the trust store) and starts with no pages
# rendered: at several hundred requests a second, 5,000 meant a new worker every few seconds somewhere.
max_requests = 100_000
max_requests_jitter = 10_000
# Requests larger than Django would read anyway are refused early by the proxy; these bound headers.
limit_request_line = 8190
limit_request_fields = 100
# Access log: none from gunicorn, whose line would carry the query string and the tokens in share
# links. The site writes its own, one JSON line per request without either (operations/request_log.py).
accesslog = None


class _WithoutAccessLog(glogging.Logger):
    """gunicorn's logger, minus the access line: with `logconfig_dict` set, gunicorn gathers every
    request's headers and environment for an access line that no handler writes (a few percent of a
    page's CPU)."""

    def access(self, resp, req, environ, request_time) -> None:
        return None


logger_class = _WithoutAccessLog
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicorn's own lines (workers booting, timeouts, signals) in the site's format: JSON unless LOG_FORMAT=text.
if os.environ.get("LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "smimecenter.operations.log_format.JsonLineFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "root": {"level": "INFO", "handlers": ["stderr"]},
        "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False}},
    }
# Behind nginx or Caddy on the same machine: REMOTE_ADDR is the proxy; TRUSTED_PROXIES does the rest.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "smimecenter"
# No control socket: its default path is one per user, which two instances on one machine would share.
# systemd (or kill) sends the signals instead: HUP reloads gracefully, TERM stops gracefully.
control_socket_disable = True


def on_starting(server) -> None:
    """Refuse to start workers that would not share their state (issue: 4 workers, 4 rate limits)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smimecenter.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        caches, debug = settings.CACHES, settings.DEBUG
    except ImproperlyConfigured as problem:
        sys.exit(f"SMIME Center is not configured: {problem}")
    problem = None if debug else per_process_cache_problem(caches, server.cfg.workers)
    if problem:
        sys.exit(f"SMIME Center will not start: {problem}")


def post_worker_init(worker) -> None:
    """Load the pages and the trust store before the worker takes its first request, then set what was
    loaded aside from Python's garbage collector: a full collection otherwise walks those 100,000-odd
    long-lived objects again, about 40 ms in the middle of someone's request every few hundred pages."""
    import gc

    from smimecenter.operations.health import warm_up

    warm_up()
    gc.collect()
    gc.freeze()
