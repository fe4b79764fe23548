"""Pages that are the same for every visitor, rendered once and then served from memory.

An article, a section's index, the home page and a search's results depend only on the content
(the library), the organisation's header and notes (its snapshots) and the settings. Each process
keeps the finished bodies of the pages it served, each with the version it was rendered for; a
request for the same page at the same version gets the stored bytes and no template work at all.
A new library, a changed organisation snapshot or a changed setting is a new version.

What differs per visitor is kept out of the stored body:
- a form that posts carries this visitor's CSRF token: the body is stored with a marker where the
  token was, and each request gets its own token (and cookie) in its place;
- people signed in (they carry a session cookie) may see staff tools: their pages are never stored.
Response headers are added by the middleware on every request, stored body or not.
"""
from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from smimecenter.learn import current
from smimecenter.organisation.article_notes import notes_snapshot
from smimecenter.organisation.branding import branding_snapshot

# The hidden field Django's {% csrf_token %} writes; its value is this request's masked token.
_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
# Stands for the token in a stored body. Random per process, so no page text can contain it by chance.
_CSRF_MARKER = b"csrf-" + secrets.token_hex(16).encode()


@dataclass(frozen=True)
class _Stored:
    version: tuple[object, ...]
    body: bytes
    content_type: str
    has_csrf_token: bool


class RenderedPages:
    """A bounded map from a page's key to its stored body (least recently used goes first)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._pages: OrderedDict[Hashable, _Stored] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: tuple[object, ...]) -> _Stored | None:
        stored = self._pages.get(key)
        if stored is None or not _same(stored.version, version):
            return None
        with self._lock:
            if key in self._pages:
                self._pages.move_to_end(key)
        return stored

    def put(self, key: Hashable, stored: _Stored) -> None:
        with self._lock:
            self._pages[key] = stored
            self._pages.move_to_end(key)
            while len(self._pages) > self.limit:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


# Every article and index page fits (the site has about a hundred); searches are bounded separately
# because their keys come from visitors. About 30 kB a page: a few MB per process at most.
pages = RenderedPages(limit=2000)
searches = RenderedPages(limit=500)


def _same(stored: tuple[object, ...], current_version: tuple[object, ...]) -> bool:
    # Identity: a snapshot or library that was loaded again is a new object, even with equal contents.
    return len(stored) == len(current_version) and all(a is b for a, b in zip(stored, current_version))


def _version() -> tuple[object, ...]:
    return (current.library(), branding_snapshot.get(), notes_snapshot.get())


def _storable(request: HttpRequest) -> bool:
    # Development (DEBUG) edits templates while serving; signed-in people may see staff tools.
    return not settings.DEBUG and settings.SESSION_COOKIE_NAME not in request.COOKIES


def serve(request: HttpRequest, store: RenderedPages, key: Hashable,
          render: Callable[[], HttpResponse]) -> HttpResponse:
    """The page under `key`: from `store` when rendered for this version, else rendered (and kept)."""
    if not _storable(request):
        return render()
    version = _version()
    stored = store.get(key, version)
    if stored is None:
        response = render()
        if response.status_code == 200 and not response.streaming and not response.cookies:
            store.put(key, _keep(request, response, version))
        return response
    body = stored.body
    if stored.has_csrf_token:
        # get_token also marks the request, so the CSRF middleware sets the cookie and Vary: Cookie.
        body = body.replace(_CSRF_MARKER, get_token(request).encode())
    return HttpResponse(body, content_type=stored.content_type)


def kept_text(request: HttpRequest, key: Hashable, render: Callable[[], str]) -> str:
    """A piece of a page that is the same for every visitor (a frame with markers in it), kept in `pages`
    under `key` and rendered again on the same terms as a page: a new version, a changed setting, and
    never kept with DEBUG on or for people signed in."""
    if not _storable(request):
        return render()
    version = _version()
    stored = pages.get(key, version)
    if stored is None:
        text = render()
        pages.put(key, _Stored(version, text.encode(), "text/plain; charset=utf-8", False))
        return text
    return stored.body.decode()


def _keep(request: HttpRequest, response: HttpResponse, version: tuple[object, ...]) -> _Stored:
    # get_token marks the request when a template asked for the token: the page has a form that posts.
    has_csrf_token = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
    body = response.content
    if has_csrf_token:
        body = _CSRF_FIELD.sub(lambda match: match.group(1) + _CSRF_MARKER + match.group(3), body)
    return _Stored(version, body, response["Content-Type"], has_csrf_token)


@receiver(setting_changed)
def _forget_on_setting_change(**kwargs: object) -> None:
    """Pages show settings (the site's address, limits): a changed setting (tests) is a new version."""
    pages.clear()
    searches.clear()
