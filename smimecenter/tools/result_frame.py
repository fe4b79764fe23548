"""The site's frame around a result (tools/result.html: header, navigation, footer), rendered once.

Around a result, the frame differs in three places only: the title (the verdict's headline), the page's
own address (its canonical link) and the result itself. It is rendered once per process with a marker
in each place, again when the organisation's header changes (its snapshot is a new object) or a setting
does, and each result page is the frame with its three values put in, escaped as the template would.
With DEBUG on it is rendered every time, so template edits show at once.
"""
from __future__ import annotations

import secrets

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from smimecenter.organisation.branding import branding_snapshot

TEMPLATE = "tools/result.html"
# Random per process, so no headline or result can contain one by chance.
_TITLE, _PATH, _CONTENT = (f"result-frame-{part}-{secrets.token_hex(16)}" for part in ("title", "path", "content"))
_kept: tuple[object, str] | None = None  # (the organisation's header snapshot, the frame)


def framed(request: HttpRequest, headline: str, content: SafeString) -> str:
    """The whole result page: the frame with this result's headline, address and content."""
    if settings.DEBUG:
        return render_to_string(TEMPLATE, _context(headline, request.path, content), request)
    global _kept
    header = branding_snapshot.get()
    kept = _kept
    if kept is None or kept[0] is not header:
        kept = _kept = (header, render_to_string(TEMPLATE, _context(_TITLE, _PATH, mark_safe(_CONTENT)), request))
    return (kept[1].replace(_TITLE, escape(headline), 1).replace(_PATH, escape(request.path))
            .replace(_CONTENT, content, 1))


def _context(headline: str, path: str, content: SafeString) -> dict[str, object]:
    return {"nav": "tools", "verdict": {"headline": headline}, "page_path": path, "content": content}


@receiver(setting_changed)
def _forget_on_setting_change(**kwargs: object) -> None:
    """The frame shows settings (the site's address): a changed setting (tests) renders it again."""
    global _kept
    _kept = None
