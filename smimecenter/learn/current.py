"""The library and search index this process serves, built once (again in development when content changes)."""
from __future__ import annotations

import threading

from django.conf import settings

from smimecenter.learn.library import Library, cache
from smimecenter.learn.search import SearchIndex

_lock = threading.Lock()
_index: tuple[Library, SearchIndex] | None = None


def library() -> Library:
    return cache.get(settings.CONTENT_DIR, watch=settings.DEBUG)


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


def reset() -> None:
    """Forget what was loaded (tests that switch CONTENT_DIR)."""
    global _index
    cache.clear()
    _index = None
