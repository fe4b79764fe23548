"""The site's frame around a result (tools/result.html: header, navigation, footer), rendered once.

Around a result, the frame differs in three places only: the title (the verdict's headline), the page's
own address (its canonical link) and the result itself. It is rendered with a marker in each place and
kept like the pages that are the same for every visitor (learn/rendered_pages.py: again for a new
version or setting, never with DEBUG on); each result page is the frame with its three values put in,
escaped as the template would.
"""
from __future__ import annotations

import secrets

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from smimecenter.learn import rendered_pages

TEMPLATE = "tools/result.html"
# Random per process, so no headline or result can contain one by chance.
_TITLE, _PATH, _CONTENT = (f"result-frame-{part}-{secrets.token_hex(16)}" for part in ("title", "path", "content"))


def framed(request: HttpRequest, headline: str, content: SafeString) -> str:
    """The whole result page: the frame with this result's headline, address and content."""
    frame = rendered_pages.kept_text(request, ("frame", TEMPLATE), lambda: render_to_string(
        TEMPLATE, _context(_TITLE, _PATH, mark_safe(_CONTENT)), request))
    return frame.replace(_TITLE, escape(headline), 1).replace(_PATH, escape(request.path)).replace(_CONTENT, content, 1)


def _context(headline: str, path: str, content: SafeString) -> dict[str, object]:
    return {"nav": "tools", "verdict": {"headline": headline}, "page_path": path, "content": content}
