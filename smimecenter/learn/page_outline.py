"""What the site reads from a page's element tree: sections, their plain text, links, heading ids.

``OutlineCollector`` is a Python-Markdown Treeprocessor that runs once the
``toc`` extension has given every heading its id. A section is a ``##`` or
``###`` heading at the top level of the page (not one inside a call-out) and
the text under it; the text before the first heading is a section with an
empty anchor. Each section heading gets a "link to this section" anchor.
"""
from __future__ import annotations

import html
import re
import unicodedata
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, AtomicString

from smimecenter.learn.html_output import RawHtmlReader

SECTION_LEVELS = ("h2", "h3")
# Elements whose start and end separate words in the plain text of a section.
_BLOCKS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "blockquote", "pre", "ul", "ol", "li", "dl",
                     "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "br", "hr"})
# The attribute of each element that holds a link the site validates.
_LINK_ATTRIBUTES = {"a": "href", "img": "src"}


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str
    text: str


@dataclass(frozen=True)
class Section:
    """The text under one heading (or before the first, with an empty anchor)."""

    anchor: str
    heading: str
    text: str


@dataclass
class Outline:
    headings: list[Heading]
    sections: list[Section]
    links: list[str]


def slugify(text: str, separator: str = "-") -> str:
    """A heading's id from its plain text: ASCII letters, digits, "_" and "-" only.

    The rule must never change: published links point at these ids. Accents
    are dropped (é -> e), other characters that are neither word characters,
    spaces nor hyphens are removed, and runs of spaces and hyphens become one
    hyphen ("Step 2: import the .p12 file" -> "step-2-import-the-p12-file").
    The ``toc`` extension calls it with its separator, always "-" here.
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", separator, text)


def section_link(anchor: str, heading: str) -> etree.Element:
    link = etree.Element("a", {
        "class": "section-link",
        "href": f"#{anchor}",
        "aria-label": f"Link to this section: {heading}",
        "title": "Link to this section",
    })
    link.text = "#"
    return link


class OutlineCollector(Treeprocessor):
    """Collects headings, sections and links into ``self.outline``; adds the section links."""

    outline: Outline

    def run(self, root: etree.Element) -> None:
        self.raw = self.md.htmlStash.rawHtmlBlocks
        outline = self.outline = Outline([], [], [])
        anchor, heading, parts = "", "", []
        for child in root:
            if child.tag in SECTION_LEVELS and child.get("id"):
                outline.sections.append(Section(anchor, heading, _squash(parts)))
                anchor, heading, parts = child.get("id", ""), _squash(self._text(child, [])), []
                outline.headings.append(Heading(int(child.tag[1]), anchor, heading))
                child.append(section_link(anchor, heading))
            else:
                self._text(child, parts)
        outline.sections.append(Section(anchor, heading, _squash(parts)))
        outline.sections[:] = [s for s in outline.sections if s.text or s.anchor]

    def _text(self, element: etree.Element, parts: list[str]) -> list[str]:
        """Add the plain text of ``element`` to ``parts`` (and its links to the outline)."""
        block = element.tag in _BLOCKS
        if block:
            parts.append(" ")
        wanted = _LINK_ATTRIBUTES.get(element.tag)
        if wanted and element.get(wanted):
            self.outline.links.append(element.get(wanted, ""))
        if element.text:
            parts.append(self._plain(element.text))
        for child in element:
            self._text(child, parts)
            if child.tail:
                parts.append(self._plain(child.tail))
        if block:
            parts.append(" ")
        return parts

    def _plain(self, text: str) -> str:
        """Text as a reader sees it: code is kept escaped in the tree, raw HTML is kept aside."""
        if isinstance(text, AtomicString):
            text = html.unescape(text)
        if "\x02" in text:
            text = HTML_PLACEHOLDER_RE.sub(self._raw_text, text)
        return text

    def _raw_text(self, placeholder: re.Match[str]) -> str:
        number = int(placeholder.group(1))
        block = self.raw[number] if number < len(self.raw) else ""
        reader = RawHtmlReader(str(block))
        self.outline.links += reader.links
        return reader.text


def _squash(parts: list[str]) -> str:
    return " ".join("".join(parts).split())
