"""gunicorn's settings for SMIME Center; gunicorn reads this file when started in this folder.

Every value can still be overridden on the command line or in GUNICORN_CMD_ARGS. See docs/deploy.md.
"""
from __future__ import annotations

import os
import sys

from smimecenter.operations.serving import default_workers, per_process_cache_problem

wsgi_app = "smimecenter.wsgi:application"
bind = [os.environ.get("BIND", "127.0.0.1:8000")]
# Diagnoses are CPU work: synchronous workers, about two per core (WEB_CONCURRENCY overrides; the
# settings read the same variable, so the deployment checks know how many processes share the cache).
workers = int(os.environ.get("WEB_CONCURRENCY") or default_workers())
worker_class = "sync"
# A worker silent for this long is killed and replaced. The slowest legitimate diagnosis (a PKCS#12
# file at the largest allowed key-derivation count) takes a few seconds.
timeout = 30
# HUP or TERM: workers finish the requests they hold, for up to this long, before they go.
graceful_timeout = 30
keepalive = 5
# Replace each worker after this many requests (jitter: not all at once), bounding slow growth.
max_requests = 5000
max_requests_jitter = 500
# Requests larger than Django would read anyway are refused early by the proxy; these bound headers.
limit_request_line = 8190
limit_request_fields = 100
# Access log: none from gunicorn, whose line would carry the query string and the tokens in share
# links. The site writes its own, one JSON line per request without either (operations/request_log.py).
accesslog = None
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
    """Load the pages and the trust store before the worker takes its first request."""
    from smimecenter.operations.health import warm_up

    warm_up()
