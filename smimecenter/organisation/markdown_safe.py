"""Markdown written by staff, turned into HTML that is safe to show to everyone.

Admins are trusted, but an admin account can be stolen and a pasted snippet can carry markup: the
output is cleaned with nh3 (an allow-list sanitiser), so only plain formatting and ordinary links
survive. Rendering happens when the text is saved, never per request.
"""
from __future__ import annotations

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# mailto: so a note can say whom to write to; no javascript:, data: or other schemes.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_safe_markdown(text: str) -> str:
    # Raw HTML goes through cmark untouched so that nh3 removes each disallowed element whole: cmark's own
    # safe mode would drop the tags but leave what was between them ("alert(1)") standing as text.
    html = cmarkgfm.markdown_to_html(text or "", options=Options.CMARK_OPT_UNSAFE).rstrip("\n")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        # Links written by the organisation may point anywhere: do not pass on who sent the reader.
        link_rel="noopener noreferrer",
    )
