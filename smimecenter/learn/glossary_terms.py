"""Glossary links in articles: the first use of each glossary phrase links to its definition.

``TermMatcher`` finds the phrases in plain text, ``GlossaryLinker`` walks a
page's element tree (a Python-Markdown Treeprocessor) and ``term_link`` makes
the markup of one linked term: change that function to change how every
article, and every result page (``link_plain_text``), shows its terms.
"""
from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from .html_output import escape_text, serialize

# Never link a glossary term inside these: it would nest links, change code or a heading's text.
NO_TERM_LINKS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "kbd", "abbr", "script", "style"})

# A phrase starts a word: the character before it is not a word character, "/", "#", "." or "-"
# ("S/MIME" holds no "MIME", "PKCS#12" no "12"). The pattern takes that character in.
_BEFORE_PHRASE = r"[^\w/#.-]"


@dataclass(frozen=True)
class GlossaryTerm:
    id: str
    term: str
    matches: tuple[str, ...]
    short: str


def term_link(term: GlossaryTerm, text: str, base_url: str) -> list[etree.Element]:
    """The markup of a glossary term where a page first uses it (its text as written).

    The word is a button that opens the short definition on a tap, a click or Enter, with no
    script (the ``popover`` attribute; Escape or a tap elsewhere closes it); the definition links
    to the glossary entry. A term is marked once per page, so its id is unique on the page.
    """
    target = f"gloss-{term.id}"
    button = etree.Element("button", {"type": "button", "class": "term", "popovertarget": target})
    button.text = text
    definition = etree.Element("span", {"class": "term-definition", "id": target, "popover": None})
    name = etree.SubElement(definition, "strong")
    name.text = term.term
    name.tail = f" {term.short} "
    entry = etree.SubElement(definition, "a", {"href": f"{base_url}#{term.id}"})
    entry.text = "In the glossary"
    return [button, definition]


def link_plain_text(text: str, matcher: TermMatcher, used: set[str]) -> str:
    """``text`` as HTML (escaped) with the first use on a page of each glossary term marked by
    ``term_link``; ``used`` is shared by every call for one page (the findings of a result page)."""
    holder = etree.Element("span")
    tail: etree.Element | None = None
    done = 0
    for start, end, term in matcher.find(text):
        if term.id in used:
            continue
        used.add(term.id)
        before = text[done:start]
        if tail is None:
            holder.text = before
        else:
            tail.tail = before
        for element in _as_list(term_link(term, text[start:end], matcher.base_url)):
            holder.append(element)
            tail = element
        done = end
    if tail is None:
        return escape_text(text)
    tail.tail = text[done:]
    return serialize(holder)[len("<span>"):-len("</span>")]


# The markup ``term_link`` writes, as serialised: the word's button, then its definition (which holds no span).
_TERM_MARKUP = re.compile(r'<button type="button" class="term" popovertarget="[^"<>]*">([^<]*)</button>'
                          r'<span class="term-definition"[^<>]*>.*?</span>', re.S)


def without_term_markup(html: str) -> str:
    """Rendered HTML with each glossary term back to its plain word: for excerpts shown inside another
    page (whose own terms would repeat the definitions' ids) and for text that leaves the definitions out."""
    return _TERM_MARKUP.sub(r"\1", html)


def _as_list(markup: etree.Element | list[etree.Element]) -> list[etree.Element]:
    return markup if isinstance(markup, list) else [markup]


class TermMatcher:
    """Finds glossary phrases in text.

    A phrase with a capital letter ("CSR") matches only as written; an
    all-lowercase phrase ("root store") matches in any case. Where several
    phrases fit at one place, a phrase as written wins over an any-case one,
    then the longer over the shorter; matches do not overlap.
    """

    def __init__(self, terms: Iterable[GlossaryTerm], *, base_url: str = "/glossary/") -> None:
        self.terms = tuple(terms)
        self.base_url = base_url
        self.exact: dict[str, GlossaryTerm] = {}
        self.folded: dict[str, GlossaryTerm] = {}
        for term in self.terms:
            for phrase in term.matches:
                if phrase != phrase.lower():
                    self.exact[phrase] = term
                else:
                    self.folded[phrase] = term
        self.pattern = _phrase_pattern(self.exact, self.folded)
        # Pages rendered with one glossary are cached under this: a changed definition renders them again.
        described = repr([(t.id, t.term, t.matches, t.short) for t in self.terms]) + base_url
        self.fingerprint = hashlib.sha256(described.encode("utf-8")).hexdigest()[:16]

    def term_for(self, matched: str) -> GlossaryTerm | None:
        return self.exact.get(matched) or self.folded.get(matched.lower())

    def find(self, text: str) -> Iterator[tuple[int, int, GlossaryTerm]]:
        """Start, end and term of each phrase in ``text``, in order."""
        if self.pattern is None:
            return
        # The pattern starts with the character before a phrase: a space stands in for the start of the text.
        for match in self.pattern.finditer(" " + text):
            term = self.term_for(match.group(0)[1:])
            if term is not None:
                yield match.start(), match.end() - 1, term


def _phrase_pattern(exact: Iterable[str], folded: Iterable[str]) -> re.Pattern[str] | None:
    """One regular expression for all phrases, each with the character before it, shaped for speed.

    Matching the character before a phrase (rather than looking back from the
    phrase) lets the regex engine skip straight to the places where a word can
    begin. The phrases form a tree of their characters, so that at any place
    only the phrases sharing the characters read so far are tried, longest
    first, phrases as written before any-case ones.
    """
    branches = []
    for phrases, any_case in ((exact, False), (folded, True)):
        for first, rest in sorted(_tree(phrases).items()):
            tail = f"(?i:{_endings(rest)})" if any_case else _endings(rest)
            variants = [first, first.upper()] if any_case and len(first.upper()) == 1 else [first]
            branches += [re.escape(variant) + tail for variant in dict.fromkeys(variants)]
    return re.compile(_BEFORE_PHRASE + "(?:" + "|".join(branches) + r")(?!\w)") if branches else None


def _tree(phrases: Iterable[str]) -> dict:
    root: dict = {}
    for phrase in phrases:
        node = root
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}           # a phrase ends here
    return root


def _endings(node: dict) -> str:
    """A regular expression for the phrase endings below a node, the longest tried first."""
    branches = [re.escape(char) + _endings(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    group = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{group})?" if "" in node else group


class GlossaryLinker(Treeprocessor):
    """Links the first use of each glossary term on a page (``matcher`` is set before each page).

    Raw HTML is kept aside by Python-Markdown, a placeholder in the text for
    each tag: text between a raw ``<kbd>`` (or ``<a>``, ``<code>``…) and its end
    tag is in the tree too, and is skipped as well.
    """

    matcher: TermMatcher | None = None

    def run(self, root: etree.Element) -> None:
        if self.matcher is None or self.matcher.pattern is None:
            return
        self.used: set[str] = set()
        self.raw_depth = 0                  # raw elements of NO_TERM_LINKS open at this point of the text
        self._walk(root)

    def _walk(self, element: etree.Element) -> None:
        if element.tag in NO_TERM_LINKS:
            return
        index = 0
        if element.text:
            element.text, index = self._link(element, element.text, 0)
        while index < len(element):
            child = element[index]
            self._walk(child)
            added = 0
            if child.tail:
                child.tail, added = self._link(element, child.tail, index + 1)
            index += 1 + added          # the links just added hold no new terms

    def _link(self, parent: etree.Element, text: str, position: int) -> tuple[str, int]:
        """Link new terms of ``text`` as children of ``parent`` from ``position``; the text left, and how many links."""
        assert self.matcher is not None
        found: list[tuple[int, int, GlossaryTerm]] = []
        for start, end, term in self._phrases(text):
            if term.id not in self.used:
                self.used.add(term.id)
                found.append((start, end, term))
        if not found:
            return text, 0
        added = 0
        for number, (start, end, term) in enumerate(found):
            markup = _as_list(term_link(term, text[start:end], self.matcher.base_url))
            markup[-1].tail = text[end:found[number + 1][0]] if number + 1 < len(found) else text[end:]
            for element in markup:
                parent.insert(position + added, element)
                added += 1
        return text[:found[0][0]], added

    def _phrases(self, text: str) -> Iterator[tuple[int, int, GlossaryTerm]]:
        """The phrases of ``text`` outside raw elements where terms are not linked."""
        assert self.matcher is not None
        if "\x02" not in text:             # no raw HTML in this text: the common case
            if not self.raw_depth:
                yield from self.matcher.find(text)
            return
        done = 0
        for placeholder in HTML_PLACEHOLDER_RE.finditer(text):
            if not self.raw_depth:
                yield from _shifted(self.matcher.find(text[done:placeholder.start()]), done)
            self.raw_depth = max(0, self.raw_depth + self._depth_change(int(placeholder.group(1))))
            done = placeholder.end()
        if not self.raw_depth:
            yield from _shifted(self.matcher.find(text[done:]), done)

    def _depth_change(self, number: int) -> int:
        """+1 for a raw start tag of an element in NO_TERM_LINKS, -1 for its end tag, else 0."""
        blocks = self.md.htmlStash.rawHtmlBlocks
        tag = _SINGLE_TAG.fullmatch(str(blocks[number]).strip()) if number < len(blocks) else None
        if tag is None or tag.group(2).lower() not in NO_TERM_LINKS or tag.group(3):
            return 0
        return -1 if tag.group(1) else 1


# One start or end tag (a raw HTML placeholder may also hold a whole block, an entity or a comment).
_SINGLE_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*?)?(/?)>")


def _shifted(found: Iterator[tuple[int, int, GlossaryTerm]], by: int) -> Iterator[tuple[int, int, GlossaryTerm]]:
    for start, end, term in found:
        yield start + by, end + by, term
