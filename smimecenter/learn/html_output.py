"""How a page's element tree becomes HTML: escaping, attribute order and raw HTML.

Python-Markdown's own serializer sorts attributes and leaves quotes in text
as they are; this one keeps attributes in the order they were set (``class``
first on our links) and writes ``"`` in text as ``&quot;``, so the published
HTML reads as it did before. Escaping follows Python-Markdown's rule
otherwise: ``&`` is escaped unless it already starts a character reference
(code text arrives escaped), ``<`` and ``>`` always.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

from markdown.serializers import RE_AMP
from markdown.treeprocessors import Treeprocessor

# Elements without an end tag (HTML's void elements).
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                  "track", "wbr"})
# GitHub's tagfilter: these raw tags are written as text, so a content file can never run a script or
# restyle the site (GFM spec, "Disallowed Raw HTML").
_DISALLOWED_RAW = re.compile(
    r"<(?=/?(?:title|textarea|style|xmp|iframe|noembed|noframes|script|plaintext)[\s/>])", re.IGNORECASE
)


def escape_text(text: str) -> str:
    if "&" in text:
        text = RE_AMP.sub("&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def serialize(root: etree.Element) -> str:
    """The HTML of an element tree (iteratively: deep nesting cannot exhaust the stack)."""
    out: list[str] = []
    write = out.append
    pending: list[etree.Element | str] = [root]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            write(item)
            continue
        if item.tail:
            pending.append(escape_text(item.tail))
        if item.tag is etree.Comment:
            write(f"<!--{item.text or ''}-->")
            continue
        tag = item.tag
        write(f"<{tag}")
        for name, value in item.items():
            write(f" {name}" if value is None else f' {name}="{escape_text(value)}"')
        write(">")
        if tag in VOID:
            continue
        if item.text:
            write(item.text if tag in ("script", "style") else escape_text(item.text))
        pending.append(f"</{tag}>")
        pending.extend(reversed(item))
    return "".join(out)


class RawHtmlFilter(Treeprocessor):
    """Neutralise the GFM tagfilter's tags in raw HTML (which Python-Markdown keeps aside, in its stash)."""

    def run(self, root: etree.Element) -> None:
        blocks = self.md.htmlStash.rawHtmlBlocks
        for number, block in enumerate(blocks):
            if isinstance(block, str) and "<" in block:
                blocks[number] = _DISALLOWED_RAW.sub("&lt;", block)


class RawHtmlReader(HTMLParser):
    """The text (blocks separated by spaces) and the links (href, src) of a piece of raw HTML."""

    BLOCKS = frozenset({"address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
                        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
                        "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
                        "tr", "ul"})

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.parts.append(" ")
        wanted = {"a": "href", "img": "src"}.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.links.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)
