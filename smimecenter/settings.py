"""Settings for SMIME Center, read from the environment.

A fresh checkout runs with no configuration at all: SQLite next to the code,
DEBUG off. Everything a deployment changes is an environment variable listed
in the README; the helpers in ``smimecenter.env`` reject malformed values.
"""
from __future__ import annotations

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from smimecenter.env import env_bool, env_int, env_list, env_networks, env_str
from smimecenter.operations.serving import default_workers

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        # Never fall back to a known key on a site that could be public.
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-key-never-used-when-debug-is-off"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The development address; `check --deploy` fails while a production site still uses it.
DEFAULT_SITE_URL = "http://127.0.0.1:8000"
SITE_URL = (env_str("SITE_URL") or DEFAULT_SITE_URL).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "smimecenter.learn",
    "smimecenter.diagnostics",
    "smimecenter.tools",
    "smimecenter.organisation",
    "smimecenter.operations",
    "axes",
]

MIDDLEWARE = [
    # Before anything that validates the host or redirects to HTTPS: a load balancer polls these by address.
    "smimecenter.operations.health.HealthMiddleware",
    # Times everything below; keeps a request id from our own proxy, so it must see the proxy's address.
    "smimecenter.operations.request_log.RequestLogMiddleware",
    # Before anything else reads REMOTE_ADDR: behind TRUSTED_PROXIES it becomes the real client's address.
    "smimecenter.operations.addresses.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "smimecenter.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "smimecenter.urls"
WSGI_APPLICATION = "smimecenter.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "smimecenter.context_processors.site",
                "smimecenter.organisation.context_processors.organisation",
            ],
        },
    },
    {
        # The result page only (smimecenter/jinja.py says why); its templates end in .jinja.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "smimecenter.jinja.environment",
            "autoescape": True,
            "context_processors": ["smimecenter.context_processors.site",
                                   "smimecenter.organisation.context_processors.organisation"],
        },
    },
]

# SQLite by default so that a fresh checkout needs no database server.
# DATABASE_URL=postgres://user:password@host:5432/name switches to PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    from urllib.parse import unquote, urlsplit

    _url = urlsplit(DATABASE_URL)
    if _url.scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured("DATABASE_URL must start with postgres://")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": _url.path.lstrip("/"),
            "USER": unquote(_url.username or ""),
            "PASSWORD": unquote(_url.password or ""),
            "HOST": _url.hostname or "",
            "PORT": str(_url.port or ""),
            # Each worker keeps its connection for a while (checked before reuse) instead of opening one
            # per request: /readyz is polled every second. 0 closes it after each request.
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            "CONN_HEALTH_CHECKS": True,
            # A database host that does not answer fails a request (and /readyz) in seconds, not minutes.
            "OPTIONS": {"connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 5, minimum=1)},
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": Path(env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))),
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits, the purge mark of shares and the organisation's settings live in the default cache.
# Without CACHE_URL it is per process, which is right for one process only: with several app
# servers or workers, CACHE_URL=redis://host:6379/0 makes them share one (Django's RedisCache).
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    from urllib.parse import urlsplit as _urlsplit

    if _urlsplit(CACHE_URL).scheme not in ("redis", "rediss", "unix"):
        raise ImproperlyConfigured("CACHE_URL must start with redis://, rediss:// or unix://")
    CACHES = {
        "default": {
            "BACKEND": "smimecenter.operations.redis_cache.SharedClientRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "smimecenter",
            # Short timeouts: a Redis that is gone must make /readyz say so at once, not hang pages.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "smimecenter",
        }
    }
# Worker processes of the server (gunicorn reads the same variable). 1 says that a single process
# is intended, which is the only case where the per-process cache is accepted with DEBUG off.
WEB_CONCURRENCY = env_int("WEB_CONCURRENCY", default_workers(), minimum=1)

# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed: the client is the
# right-most address in it that is not one of them. Empty: the header is ignored.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Plain names rather than a hashed manifest: the site then also serves its
    # files on a machine where collectstatic has not been run.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve files straight from STATICFILES_DIRS when collectstatic has not run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_MAX_AGE = env_int("STATIC_MAX_AGE", 3600, minimum=0)
WHITENOISE_AUTOREFRESH = DEBUG

# Where the Markdown pages live. Tests point this at generated content.
CONTENT_DIR = Path(env_str("CONTENT_DIR", str(BASE_DIR / "content")))
# Rendered pages are cached here across restarts (keyed by content and code); empty disables.
_content_cache = env_str("CONTENT_CACHE_DIR", str(BASE_DIR / ".cache" / "content"))
CONTENT_CACHE_DIR = Path(_content_cache) if _content_cache else None

# Security. Cookies and HTTPS hardening apply whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Diagnosis limits (see the README). Uploads larger than this never reach the engine.
DIAGNOSE_MAX_INPUT_BYTES = env_int("DIAGNOSE_MAX_INPUT_BYTES", 1024 * 1024, minimum=1024)
DIAGNOSE_MAX_CERTIFICATES = env_int("DIAGNOSE_MAX_CERTIFICATES", 500, minimum=1)
DIAGNOSE_MAX_PKCS12_ITERATIONS = env_int("DIAGNOSE_MAX_PKCS12_ITERATIONS", 1_000_000, minimum=1)
# Key-derivation work one request may spend on .p12 files, every password try of every file together, in
# units of one PBKDF2-HMAC-SHA-256 iteration (diagnostics/inputs/kdf_work.py); a million is under a second.
DIAGNOSE_MAX_KDF_WORK = env_int("DIAGNOSE_MAX_KDF_WORK", 1_000_000, minimum=1)
# Requests that may derive .p12 keys at the same moment on one machine (smimecenter/tools/kdf_slots.py).
DIAGNOSE_KDF_SLOTS = env_int("DIAGNOSE_KDF_SLOTS", max(1, (os.cpu_count() or 2) // 2), minimum=1)
# Seconds after which a diagnosis stops reading further inputs and says it took too long.
DIAGNOSE_MAX_SECONDS = env_int("DIAGNOSE_MAX_SECONDS", 10, minimum=1)
# PEM files of extra trust anchors (an organisation's private roots), comma-separated paths.
DIAGNOSE_TRUST_FILES = env_list("DIAGNOSE_TRUST_FILES", [])
# Online checks (fetch missing intermediates, ask OCSP/CRL whether a certificate is revoked). Off unless an
# administrator turns them on: they make the server fetch addresses that certificates name.
DIAGNOSE_ONLINE = env_bool("DIAGNOSE_ONLINE", False)
# Addresses or networks online checks may reach although they are private or loopback (an intranet CA).
DIAGNOSE_ONLINE_ALLOW = env_list("DIAGNOSE_ONLINE_ALLOW", [])
for _network in DIAGNOSE_ONLINE_ALLOW:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"DIAGNOSE_ONLINE_ALLOW: {_network!r} is not an IP address or network") from None
# Form fields other than files: a re-check form carries the last check's files back in base64, a third
# larger than the files (tools/recheck.py); the inputs' real size is checked again once decoded.
DATA_UPLOAD_MAX_MEMORY_SIZE = DIAGNOSE_MAX_INPUT_BYTES * 4 // 3 + 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DIAGNOSE_MAX_INPUT_BYTES + 64 * 1024

# --- Logging: the one place where handlers, formats and filters are set ---------------------------
# Every line goes to standard error (systemd's journal or the container's log), one JSON object a
# line by default (LOG_FORMAT=text for a person at a terminal). Request lines come from
# operations/request_log.py: method, path with tokens masked and no query, status, duration, id.
LOG_FORMAT = env_str("LOG_FORMAT", "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "smimecenter.operations.log_format.JsonLineFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    # Paths with tokens masked; one line per refused request, no traceback for expected refusals, no
    # flood of one repeated line (smimecenter/logfilters.py).
    "filters": {
        "mask_secret_paths": {"()": "smimecenter.operations.request_log.MaskSecretPaths"},
        "refusals_without_traceback": {"()": "smimecenter.logfilters.RefusalsWithoutTraceback"},
        "repeat_cap": {"()": "smimecenter.logfilters.RepeatCap", "per_minute": 20,
                       "uncapped": ["smimecenter.requests"]},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                             "filters": ["mask_secret_paths", "refusals_without_traceback", "repeat_cap"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        # One line per request at INFO, whatever the root level; REQUEST_LOG=false turns them off.
        "smimecenter.requests": {"level": "INFO" if env_bool("REQUEST_LOG", True) else "WARNING"},
    },
}

# --- Certificate check page and API: abuse limits -------------------------------------------------
# Diagnoses one client (by IP address) may ask for per minute, over the form and the API together;
# 0 turns the limit off. Counted in the default cache, so several app servers need a shared cache.
DIAGNOSE_RATE_LIMIT_PER_MINUTE = env_int("DIAGNOSE_RATE_LIMIT_PER_MINUTE", 30, minimum=0)
# Checks one client may ask for at once before the per-minute pace applies (a token bucket: an office
# behind one address gets its burst, then one check every 60/rate seconds). 0: one minute's worth.
DIAGNOSE_RATE_LIMIT_BURST = env_int("DIAGNOSE_RATE_LIMIT_BURST", 0, minimum=0)
# Files one diagnosis may upload (each is read into memory; their sizes count towards DIAGNOSE_MAX_INPUT_BYTES).
DIAGNOSE_MAX_FILES = env_int("DIAGNOSE_MAX_FILES", 20, minimum=1)

# --- Shared diagnoses ("send this to IT") ---------------------------------------------------------
# Days a share link works; expired shares are deleted by `manage.py purge_shares` and, at most once
# per SHARE_PURGE_INTERVAL_MINUTES (0: never), when someone creates a share.
SHARE_LIFETIME_DAYS = env_int("SHARE_LIFETIME_DAYS", 30, minimum=1)
SHARE_PURGE_INTERVAL_MINUTES = env_int("SHARE_PURGE_INTERVAL_MINUTES", 60, minimum=0)

# --- Admin sign-in: repeated failures lock out (django-axes) -----------------------------------------
# The admin decides which roots the site trusts, so guessing its password must not be cheap. After
# ADMIN_SIGNIN_FAILURE_LIMIT failures for one account, or from one client address, sign-in is refused for
# ADMIN_SIGNIN_LOCKOUT_MINUTES (each counted on its own: a spread-out guess at one account and one client
# trying many accounts are both stopped). Failures are kept in the database, so all app servers agree.
# Unlock early: `python manage.py axes_reset_username NAME` or `axes_reset_ip ADDRESS` (see the README).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("ADMIN_SIGNIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ADMIN_SIGNIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False  # our own log line says a sign-in was refused; axes would log the name tried as well
AXES_SENSITIVE_PARAMETERS = ["csrfmiddlewaretoken"]  # kept masked in the failure records, like the password
