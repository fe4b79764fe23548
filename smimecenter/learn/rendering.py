"""Markdown to HTML, done once when content loads, never per request.

Besides the HTML, rendering collects what the rest of the site needs from a
page: its headings (table of contents, anchors, the link contract), its
sections as plain text (search), and its internal links (validation).
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

EXTENSIONS = ["extra", "admonition", "sane_lists", "toc"]
EXTENSION_CONFIGS = {"toc": {"toc_depth": "2-3"}}
WORDS_PER_MINUTE = 200

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Never link a glossary term inside these: it would nest links or change code.
_NO_TERM_LINKS = _HEADINGS | {"a", "code", "pre", "kbd", "abbr", "script", "style"}
_WORD = re.compile(r"\w+")


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


@dataclass(frozen=True)
class GlossaryTerm:
    id: str
    term: str
    matches: tuple[str, ...]
    short: str


@dataclass
class Rendered:
    html: str
    headings: list[Heading] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    words: int = 0

    @property
    def anchors(self) -> set[str]:
        return {heading.anchor for heading in self.headings}

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.words / WORDS_PER_MINUTE))


class TermMatcher:
    """Finds glossary phrases in text.

    A phrase with a capital letter ("CSR") matches only as written; an
    all-lowercase phrase ("root store") matches in any case.
    """

    def __init__(self, terms: list[GlossaryTerm], *, base_url: str = "/glossary/") -> None:
        self.base_url = base_url
        # Identifies the glossary in cache keys: a changed definition re-renders every page.
        self.fingerprint = repr([(t.id, t.term, t.matches, t.short) for t in terms]) + base_url
        self.by_exact: dict[str, GlossaryTerm] = {}
        self.by_folded: dict[str, GlossaryTerm] = {}
        exact, folded = [], []
        for term in terms:
            for phrase in term.matches:
                if phrase != phrase.lower():
                    self.by_exact[phrase] = term
                    exact.append(phrase)
                else:
                    self.by_folded[phrase] = term
                    folded.append(phrase)
        alternatives = [re.escape(p) for p in sorted(exact, key=len, reverse=True)]
        if folded:
            alternatives.append(
                "(?i:" + "|".join(re.escape(p) for p in sorted(folded, key=len, reverse=True)) + ")"
            )
        self.pattern = re.compile(r"(?<![\w/#.-])(?:" + "|".join(alternatives) + r")(?![\w])") if alternatives else None

    def term_for(self, matched: str) -> GlossaryTerm | None:
        return self.by_exact.get(matched) or self.by_folded.get(matched.lower())


class _GlossaryLinker(Treeprocessor):
    """Links the first use of each glossary term on a page, with its short definition on hover."""

    def __init__(self, md: markdown.Markdown, matcher: TermMatcher) -> None:
        super().__init__(md)
        self.matcher = matcher

    def run(self, root: etree.Element) -> None:
        if self.matcher.pattern is None:
            return
        self.used: set[str] = set()
        self._walk(root)

    def _walk(self, element: etree.Element) -> None:
        if element.tag in _NO_TERM_LINKS:
            return
        element.text = self._link(element, element.text, position=0)
        index = 0
        while index < len(element):
            child = element[index]
            self._walk(child)
            child.tail = self._link(element, child.tail, position=index + 1)
            index += 1

    def _link(self, parent: etree.Element, text: str | None, *, position: int) -> str | None:
        """Return the text before the first new term; the link and the rest go in as a new child."""
        if not text:
            return text
        assert self.matcher.pattern is not None
        for match in self.matcher.pattern.finditer(text):
            term = self.matcher.term_for(match.group(0))
            if term is None or term.id in self.used:
                continue
            self.used.add(term.id)
            link = etree.Element("a", {
                "class": "term",
                "href": f"{self.matcher.base_url}#{term.id}",
                "title": term.short,
            })
            link.text = match.group(0)
            link.tail = text[match.end():]
            parent.insert(position, link)
            # The rest of the text may hold other terms: it is now the link's tail.
            link.tail = self._link(parent, link.tail, position=position + 1)
            return text[: match.start()]
        return text


class _Collector(Treeprocessor):
    """Runs after the toc extension has given every heading its id."""

    def run(self, root: etree.Element) -> None:
        result: Rendered = self.md.smimecenter_result  # type: ignore[attr-defined]
        anchor, heading, chunks = "", "", []
        for element in root.iter():
            if element.tag == "a" and element.get("href"):
                result.links.append(element.get("href", ""))
        for child in list(root):
            if child.tag in ("h2", "h3") and child.get("id"):
                result.sections.append(Section(anchor, heading, _squash(_unstash(self.md, " ".join(chunks)))))
                anchor, heading, chunks = child.get("id", ""), _squash("".join(child.itertext())), []
                result.headings.append(Heading(int(child.tag[1]), anchor, heading))
                child.append(_section_link(anchor, heading))
            else:
                chunks.append(" ".join(child.itertext()))
        result.sections.append(Section(anchor, heading, _squash(_unstash(self.md, " ".join(chunks)))))
        result.sections[:] = [s for s in result.sections if s.text or s.anchor]
        result.words = sum(len(_WORD.findall(s.heading + " " + s.text)) for s in result.sections)


def _section_link(anchor: str, heading: str) -> etree.Element:
    link = etree.Element("a", {
        "class": "section-link",
        "href": f"#{anchor}",
        "aria-label": f"Link to this section: {heading}",
        "title": "Link to this section",
    })
    link.text = "#"
    return link


def _squash(text: str) -> str:
    return " ".join(text.split())


_TAG = re.compile(r"<[^>]*>")


def _unstash(md: markdown.Markdown, text: str) -> str:
    """Replace placeholders of stashed blocks (code blocks, raw HTML) by their plain text, for search."""
    blocks = md.htmlStash.rawHtmlBlocks

    def plain(match: re.Match[str]) -> str:
        index = int(match.group(1))
        block = blocks[index] if index < len(blocks) else ""
        return " " + html.unescape(_TAG.sub(" ", str(block))) + " "

    return HTML_PLACEHOLDER_RE.sub(plain, text)


class _SmimeCenterExtension(Extension):
    def __init__(self, matcher: TermMatcher | None) -> None:
        super().__init__()
        self.matcher = matcher

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API name)
        if self.matcher is not None:
            md.treeprocessors.register(_GlossaryLinker(md, self.matcher), "smimecenter_glossary", 4)
        md.treeprocessors.register(_Collector(md), "smimecenter_collector", 3)


def encode_rendered(rendered: Rendered) -> dict[str, object]:
    return {
        "html": rendered.html,
        "headings": [[h.level, h.anchor, h.text] for h in rendered.headings],
        "sections": [[s.anchor, s.heading, s.text] for s in rendered.sections],
        "links": rendered.links,
        "words": rendered.words,
    }


def decode_rendered(data: dict) -> Rendered:
    return Rendered(
        html=data["html"],
        headings=[Heading(int(level), anchor, text) for level, anchor, text in data["headings"]],
        sections=[Section(anchor, heading, text) for anchor, heading, text in data["sections"]],
        links=list(data["links"]),
        words=int(data["words"]),
    )


def render(text: str, *, terms: TermMatcher | None = None) -> Rendered:
    """Render one page's Markdown body."""
    md = markdown.Markdown(
        extensions=[*EXTENSIONS, _SmimeCenterExtension(terms)],
        extension_configs=EXTENSION_CONFIGS,
        output_format="html",
    )
    result = Rendered(html="")
    md.smimecenter_result = result  # type: ignore[attr-defined]
    result.html = md.convert(text)
    return result
