"""A pasted error message is a question for a troubleshooting page, not an input for the certificate check.

The texts come from the troubleshooting pages themselves: what their title quotes (“…”) and the texts their
front matter lists under `error_messages`. A short paste that contains one of them goes to that page.
"""
from __future__ import annotations

import re

from smimecenter.learn import current
from smimecenter.learn.library import Page

# An error message is a line or two; a longer paste is something to check (a message, a chain).
MAX_PASTE_CHARACTERS = 600
# Shorter quotes ("not trusted") are words any text may hold, not an error message.
MIN_KNOWN_CHARACTERS = 12
_TITLE_QUOTE = re.compile(r"“([^”]+)”")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": "", "”": "", '"': "", "«": "", "»": ""})
_SPACE = re.compile(r"\s+")


def normalised(text: str) -> str:
    """Compared without case, quotes, runs of spaces or the full stop at the end."""
    return _SPACE.sub(" ", text.translate(_QUOTES).casefold()).strip().rstrip(".!:;,").strip()


def known_messages() -> list[tuple[str, Page]]:
    """(normalised error text, the troubleshooting page about it), for every text the pages name."""
    found = []
    for page in current.library().pages.values():
        if page.section != "troubleshooting":
            continue
        for text in (*_TITLE_QUOTE.findall(page.meta.title), *page.meta.error_messages):
            key = normalised(text)
            if len(key) >= MIN_KNOWN_CHARACTERS:
                found.append((key, page))
    return found


def page_for_pasted_error(text: str) -> Page | None:
    """The troubleshooting page whose error text the paste holds (the most of it, when several match)."""
    if len(text) > MAX_PASTE_CHARACTERS or "-----BEGIN" in text:
        return None
    pasted = normalised(text)
    if len(pasted) < MIN_KNOWN_CHARACTERS:
        return None
    scores: dict[str, int] = {}
    pages: dict[str, Page] = {}
    for key, page in known_messages():
        if key in pasted:
            scores[page.slug] = scores.get(page.slug, 0) + len(key)
            pages[page.slug] = page
    if not scores:
        return None
    return pages[max(scores, key=lambda slug: scores[slug])]
