"""A check's result as HTML: the verdict and everything it rests on, for the result page and the share view.

Rendered by the Jinja2 engine (smimecenter/jinja.py says why) and placed into the Django page around it.
"""
from __future__ import annotations

from collections.abc import Mapping

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


def result_html(request: HttpRequest, context: Mapping[str, object]) -> SafeString:
    """The verdict and the result body (the context of tools/presentation.py `present()`, plus what the
    page adds: `recheck`, `email`, `reading_list`, `audience`). Jinja2 escapes every value itself."""
    return _rendered("tools/_result.jinja", request, context)


def result_page_html(request: HttpRequest, context: Mapping[str, object]) -> SafeString:
    """The result page's whole content: the result, then the compliance offer, how it was checked, the
    share offer and the way back."""
    return _rendered("tools/_result_page.jinja", request, context)


def _rendered(name: str, request: HttpRequest, context: Mapping[str, object]) -> SafeString:
    return mark_safe(render_to_string(name, dict(context), request, using="jinja2"))
