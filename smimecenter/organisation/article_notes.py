"""The organisation's notes placed into an article's already-rendered HTML.

The article body is rendered once and cached; notes are spliced into that string per request (a
few `str.find` calls), so no Markdown work happens while serving a page.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from django.template.loader import render_to_string
from django.utils.html import escape

from smimecenter.organisation.snapshots import RECHECK_SECONDS, Snapshot

# Where an article's text begins in learn/article_body.html.
PROSE_START = '<div class="prose">'
_HEADING_END = re.compile(r"</h[23]>")



def _load() -> dict[str, dict[str, list[str]]]:
    """Each note already wrapped in its call-out, so a request only splices strings."""
    from smimecenter.organisation.models import Organisation, OrganisationNote

    organisation = Organisation.load()
    name = organisation.name if organisation else ""
    notes: dict[str, dict[str, list[str]]] = {}
    for note in OrganisationNote.objects.order_by("id"):
        notes.setdefault(note.page_slug, {}).setdefault(note.anchor, []).append(callout(note.body_html, name))
    return notes


notes_snapshot = Snapshot("article-notes", _load, {}, recheck_seconds=RECHECK_SECONDS)


def notes_for(slug: str) -> Mapping[str, Sequence[str]]:
    """The call-outs of one article, by anchor ("" for the top of the article)."""
    return notes_snapshot.get().get(slug, {})


def callout(html: str, organisation_name: str) -> str:
    return render_to_string("organisation/note.html", {"html": html, "organisation_name": organisation_name})


def with_notes(body: str, notes: Mapping[str, Sequence[str]]) -> str:
    """`body` with each note right after its section's heading (or at the top); notes whose place is gone are left out."""
    if not notes:
        return body
    insertions: list[tuple[int, str]] = []
    for anchor, htmls in notes.items():
        position = _after_heading(body, anchor) if anchor else _after_prose_start(body)
        if position is None:
            continue   # reported by `manage.py check` and in the admin, never shown in a wrong place
        insertions.append((position, "".join(htmls)))
    for position, html in sorted(insertions, reverse=True):
        body = body[:position] + html + body[position:]
    return body


def _after_heading(body: str, anchor: str) -> int | None:
    # The renderer writes `<h2 id="...">`; a heading written as raw HTML may have more attributes around the id.
    start = body.find(f'<h2 id="{escape(anchor)}"')
    if start < 0:
        start = body.find(f'<h3 id="{escape(anchor)}"')
    if start < 0:
        found = re.search(rf'<h[23]\b[^>]*\bid="{re.escape(escape(anchor))}"', body)
        start = found.start() if found else -1
    if start < 0:
        return None
    end = _HEADING_END.search(body, start)
    return end.end() if end else None


def _after_prose_start(body: str) -> int | None:
    start = body.find(PROSE_START)
    return start + len(PROSE_START) if start >= 0 else None
