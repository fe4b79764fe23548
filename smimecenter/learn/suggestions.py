"""What a 404 page offers: the existing pages closest to the address asked for, and search words from it."""
from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from smimecenter.learn.library import Library, Page
from smimecenter.learn.search import QueryProblem, SearchIndex

# How alike (0-100, rapidfuzz's ratio) an address's last part and a page's slug must be to be offered.
SIMILAR_ENOUGH = 60
_WORD = re.compile(r"[a-z0-9]+")
_SECTIONS = frozenset({"learn", "guides", "troubleshooting"})


def words_from_path(path: str) -> str:
    """"/guides/thunderbrid-setup/" -> "thunderbrid setup": the words a person most likely meant to find."""
    parts = [part for part in path.lower().split("/") if part and part not in _SECTIONS]
    return " ".join(_WORD.findall(parts[-1] if parts else ""))[:100]


def closest_pages(library: Library, index: SearchIndex, path: str, *, limit: int = 3) -> list[Page]:
    """Pages whose slug is like the address's last part; else the best search hits for its words."""
    words = words_from_path(path)
    if not words:
        return []
    by_slug = {page.slug.replace("-", " "): page for page in library.pages.values()}
    close = process.extract(words, list(by_slug), scorer=fuzz.ratio, score_cutoff=SIMILAR_ENOUGH, limit=limit)
    found = [by_slug[slug] for slug, _score, _ in close]
    if len(found) < limit:
        try:
            hits = index.search(words, limit=limit)
        except QueryProblem:
            hits = []
        found += [hit.page for hit in hits if hit.page not in found]
    return found[:limit]
