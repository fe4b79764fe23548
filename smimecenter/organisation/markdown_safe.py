"""Markdown written by staff, turned into HTML that is safe to show to everyone.

Admins are trusted, but an admin account can be stolen and a pasted snippet can carry markup: the
output is cleaned with nh3 (an allow-list sanitiser), so only plain formatting and ordinary links
survive. Rendering happens when the text is saved, never per request.
"""
from __future__ import annotations

import re
from html import escape

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# mailto: so a note can say whom to write to; no javascript:, data: or other schemes.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Python-Markdown's parsing of links and raw HTML takes time that grows with the square of the number of
# "[" and "<" (4,000 "[a" take about 8 s). Notes are a few lines: past this many, the text is shown as plain
# paragraphs, so that no input can hold up a save.
MAX_MARKUP_OPENERS = 300
_BLANK_LINES = re.compile(r"\n[ \t]*\n")


def render_safe_markdown(text: str) -> str:
    text = text or ""
    if text.count("[") + text.count("<") > MAX_MARKUP_OPENERS:
        html = _plain_paragraphs(text)
    else:
        try:
            # Python-Markdown passes raw HTML through untouched, so that nh3 removes each disallowed element
            # whole (<script> with its "alert(1)"), rather than leaving its text standing.
            html = markdown.markdown(text, output_format="html")
        except RecursionError:          # lists or quotes nested hundreds deep
            html = _plain_paragraphs(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        # Links written by the organisation may point anywhere: do not pass on who sent the reader.
        link_rel="noopener noreferrer",
    )


def _plain_paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(part.strip())}</p>" for part in _BLANK_LINES.split(text) if part.strip())
