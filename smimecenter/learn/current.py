"""The library and search index this process serves, built once (again in development when content changes)."""
from __future__ import annotations

import threading

from django.conf import settings

from django.template.loader import render_to_string

from smimecenter.learn.content_cache import ContentCache
from smimecenter.learn.library import Library, Page, cache
from smimecenter.learn.search import SearchIndex
from smimecenter.learn.toc import nested

_lock = threading.Lock()
_index: tuple[Library, SearchIndex] | None = None
# The body of each article page (everything but the site's frame) depends only on
# the library, so it is rendered once per page and library, not per request.
_fragments: tuple[Library, dict[str, str]] | None = None


def content_cache() -> ContentCache:
    return ContentCache(settings.CONTENT_CACHE_DIR)


def library() -> Library:
    return cache.get(settings.CONTENT_DIR, watch=settings.DEBUG, cache=content_cache())


def search_index() -> SearchIndex:
    global _index
    current = library()
    index = _index
    if index is None or index[0] is not current:
        with _lock:
            if _index is None or _index[0] is not current:
                _index = (current, SearchIndex(current))
            index = _index
    return index[1]


def article_body(page: Page) -> str:
    global _fragments
    current = library()
    fragments = _fragments
    if fragments is None or fragments[0] is not current:
        fragments = _fragments = (current, {})
    body = fragments[1].get(page.slug)
    if body is None:
        previous, following = current.neighbours(page)
        body = render_to_string("learn/article_body.html", {
            "page": page,
            "toc": nested(page.rendered.headings),
            "related": current.related(page),
            "previous": previous,
            "next": following,
        })
        fragments[1][page.slug] = body
    return body


def reset() -> None:
    """Forget what was loaded (tests that switch CONTENT_DIR)."""
    global _index, _fragments
    cache.clear()
    _index = None
    _fragments = None
