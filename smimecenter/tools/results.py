"""Results kept for a short while, so that Back, refresh and "Learn more" work (post, redirect, get):
the certificate check's report, and what each expert tool's result page shows.

What is kept is the report only, exactly the JSON the API returns: public certificates, findings and
facts about any signed message (who signed, whether it verifies). The check never puts a private key,
a password or the text of a message in its report, and this module adds nothing but the address the
person typed, the reading list they came from, and the root certificates they added for the check (public
certificates, re-encoded from the parsed certificate, so the re-check form can send them again). Entries
live in Django's cache (shared by every app server when the cache is Redis) and expire on their own after
RESULT_LIFETIME.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.cache import cache

# Long enough to read the verdict, follow "Learn more" and come back; short enough that a result
# left open on a shared computer is soon gone.
RESULT_LIFETIME_SECONDS = 15 * 60
_KEY_PREFIX = "tools:result:"
# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


@dataclass(frozen=True)
class KeptResult:
    report: Mapping           # Report.to_dict()
    email: str                # the address the person typed, "" when none
    reading_list: str         # the slug of the reading list they came from, "" when none
    roots: tuple[str, ...] = ()  # root certificates (PEM) the person added for this check, public data


def keep_result(report: Mapping, *, email: str = "", reading_list: str = "", roots: Sequence[str] = ()) -> str:
    """Store the report under a new random token (256 bits) and return the token."""
    token = secrets.token_urlsafe(32)
    cache.set(_KEY_PREFIX + token, {"report": dict(report), "email": email or "",
                                    "reading_list": (reading_list or "")[:80], "roots": list(roots)},
              timeout=RESULT_LIFETIME_SECONDS)
    return token


def kept_result(token: str) -> KeptResult | None:
    """The result stored under `token`, or None when it never existed, has expired or is malformed."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    entry = cache.get(_KEY_PREFIX + token)
    if not isinstance(entry, dict) or not isinstance(entry.get("report"), Mapping):
        return None
    return KeptResult(report=entry["report"], email=str(entry.get("email") or ""),
                      reading_list=str(entry.get("reading_list") or ""),
                      roots=tuple(str(root) for root in entry.get("roots") or ()))


def keep_page(tool: str, context: Mapping) -> str:
    """Store an expert tool's result (what its page shows: public data and findings, never the uploaded
    file, its password or the form) under a new random token, and return the token."""
    token = secrets.token_urlsafe(32)
    cache.set(f"tools:{tool}:{token}", dict(context), timeout=RESULT_LIFETIME_SECONDS)
    return token


def kept_page(tool: str, token: str) -> dict | None:
    if not _TOKEN.fullmatch(token or ""):
        return None
    entry = cache.get(f"tools:{tool}:{token}")
    return dict(entry) if isinstance(entry, dict) else None
