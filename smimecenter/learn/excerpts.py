"""One section of an article, to be read in place on another page ("Learn more" on a result)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from smimecenter.learn.glossary_terms import without_term_markup
from smimecenter.learn.library import SECTIONS, Library

_H2 = re.compile(r"<h2\b[^<>]*>")
# One space before each attribute, as the renderer writes them: a single character keeps the scan linear.
_ID = re.compile(r' id="[^"]*"')
_LOCAL_HREF = re.compile(r'href="#([^"]*)"')


@dataclass(frozen=True)
class Excerpt:
    title: str        # the section's heading
    page_title: str
    url: str          # where the whole section lives
    html: SafeString  # the section's body, without its heading


_cut: tuple[Library, dict[str, Excerpt | None]] | None = None
_MOST_KEPT = 1000


def section_excerpt(library: Library, url: str) -> Excerpt | None:
    """The section that `url` (/learn/slug/#anchor) points at, or None when there is none.

    Cut once per loaded library (a reload of the content makes a new Library object): every result
    page that links to a section shows the same excerpt, and cutting it scans the whole article.
    """
    global _cut
    cut = _cut
    if cut is None or cut[0] is not library:
        cut = _cut = (library, {})
    if url in cut[1]:
        return cut[1][url]
    excerpt = _section_excerpt(library, url)
    if len(cut[1]) < _MOST_KEPT:  # the catalog's links are a few dozen; this only bounds the unexpected
        cut[1][url] = excerpt
    return excerpt


def _section_excerpt(library: Library, url: str) -> Excerpt | None:
    """The section that `url` points at, cut from the rendered article.

    The body is the rendered page's (no glossary buttons), cut from the section's `<h2>` to the next
    one. Ids are dropped, so the excerpt can sit in any page without clashing with its ids, and links
    within the article are made to point at the article.
    """
    path, _, anchor = url.partition("#")
    parts = path.strip("/").split("/")
    if not anchor or len(parts) != 2 or parts[0] not in SECTIONS:
        return None
    page = library.pages.get(parts[1])
    if page is None or page.section != parts[0]:
        return None
    body = without_term_markup(page.rendered.html)
    start = body.find(f'<h2 id="{anchor}"')
    if start < 0:
        return None
    heading = next((h for h in page.rendered.headings if h.anchor == anchor), None)
    end_of_heading = body.find("</h2>", start)
    following = _H2.search(body, end_of_heading)
    fragment = body[end_of_heading + len("</h2>"): following.start() if following else len(body)]
    fragment = _LOCAL_HREF.sub(lambda m: f'href="{page.url}#{m.group(1)}"', _ID.sub("", fragment))
    return Excerpt(title=heading.text if heading else page.title, page_title=page.title,
                   url=page.url + "#" + anchor, html=mark_safe(fragment.strip()))
