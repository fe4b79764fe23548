"""Markdown to HTML, done once when content loads, never per request.

Pages are CommonMark with GitHub's tables, rendered by cmark-gfm (through
cmarkgfm), plus two additions of the site's own:

- admonitions: a line ``!!! warning "Title"`` (or ``note``, ``tip``) followed by
  a body indented by four spaces becomes ``<div class="admonition warning">``
  with the title in ``<p class="admonition-title">``;
- pinned heading ids: ``## Heading {: #anchor }``. Other headings get an id made
  from their text (see ``slugify``).

Besides the HTML, rendering collects what the rest of the site needs from a
page: its headings (table of contents, anchors, the link contract), its
sections as plain text (search), and its internal links (validation). It also
links the first use of each glossary term.

The HTML comes from cmark, which escapes all text and attribute values; the
templates mark it safe, so this module is where content is escaped. Whatever
it inserts itself (ids, titles, glossary links) it escapes here too.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html import escape, unescape
from importlib.metadata import version

import cmarkgfm
from cmarkgfm.cmark import Options

WORDS_PER_MINUTE = 200
# Raw HTML is allowed because the admonitions are written as HTML blocks (content
# files are the site's own); the tagfilter extension still neutralises <script>,
# <style>, <iframe> and the like should one slip into a page.
CMARK_OPTIONS = Options.CMARK_OPT_UNSAFE
CMARK_EXTENSIONS = ["table", "tagfilter"]
# Identifies the renderer in cache keys: pages are rendered again when it changes.
RENDERER_VERSION = f"cmarkgfm {version('cmarkgfm')}"

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Never link a glossary term inside these: it would nest links or change code.
_NO_TERM_LINKS = _HEADINGS | {"a", "code", "pre", "kbd", "abbr", "script", "style"}
# Elements whose start and end separate words in the plain text of a section.
_BLOCKS = _HEADINGS | {
    "p", "div", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr",
    "th", "td", "br", "hr",
}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_WORD = re.compile(r"\w+")

# A start tag (attribute values may hold ">"), an end tag, or a comment / declaration.
_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|<!--.*?-->|<[!?][^>]*>",
    re.DOTALL,
)
_BLOCK_TAG = re.compile(r"</?(?:" + "|".join(sorted(_BLOCKS)) + r")\b[^>]*>")
_ANY_TAG = re.compile(r"<[^>]*>")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# `{: #anchor }` at the end of a heading's text.
_PINNED_ID = re.compile(r"\s*\{:\s*#([\w-]+)\s*\}\s*$")
_PINNED_IDS = re.compile(r"\{:\s*#([\w-]+)\s*\}\s*</h[1-6]>")

_ADMONITION = re.compile(r'^!!! ?([\w-]+(?: +[\w-]+)*)(?: +"(.*)")? *$')
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


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
        # The finished link for each term, attributes escaped once.
        self.links = {
            term.id: (f'<a class="term" href="{escape(f"{base_url}#{term.id}")}" title="{escape(term.short)}">',
                      f"{base_url}#{term.id}")
            for term in terms
        }

    def term_for(self, matched: str) -> GlossaryTerm | None:
        return self.by_exact.get(matched) or self.by_folded.get(matched.lower())


def slugify(text: str) -> str:
    """A heading's id from its plain text: ASCII letters, digits, "_" and "-" only.

    The rule must never change: published links point at these ids. Accents
    are dropped (é -> e), other characters that are neither word characters,
    spaces nor hyphens are removed, and runs of spaces and hyphens become one
    hyphen ("Step 2: import the .p12 file" -> "step-2-import-the-p12-file").
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


_NUMBERED = re.compile(r"^(.*)_([0-9]+)$")


def _unique(anchor: str, used: set[str]) -> str:
    """``anchor``, or ``anchor_1``, ``anchor_2``… when it is taken (or empty)."""
    if anchor in used or not anchor:
        numbered = _NUMBERED.match(anchor)
        base, count = (numbered.group(1), int(numbered.group(2))) if numbered else (anchor, 0)
        count += 1
        while f"{base}_{count}" in used:
            count += 1
        anchor = f"{base}_{count}"
    used.add(anchor)
    return anchor


def _escape_text(text: str) -> str:
    """Escape text as cmark does (quotes too), so re-escaped text reads the same."""
    return escape(text, quote=False).replace('"', "&quot;")


def _plain(fragment: str) -> str:
    """The text of an HTML fragment, with a space wherever a block starts or ends."""
    return " ".join(unescape(_ANY_TAG.sub("", _BLOCK_TAG.sub(" ", fragment))).split())


def _cmark(text: str) -> str:
    return cmarkgfm.markdown_to_html_with_extensions(text, options=CMARK_OPTIONS, extensions=CMARK_EXTENSIONS)


def _inline(text: str) -> str:
    """HTML of one line of inline Markdown (an admonition title)."""
    html = _cmark(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return _escape_text(text)


def _admonitions(text: str) -> str:
    """Turn each ``!!! kind "Title"`` block into an HTML block around its body.

    CommonMark keeps Markdown between an HTML block's opening line (ended by a
    blank line) and a closing ``</div>`` line, so the body is still Markdown.
    Lines inside fenced code are left alone.
    """
    if "!!!" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    fence = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence) \
                    and not line.strip().strip(fence[0]):
                fence = ""
            out.append(line)
            continue
        if opening:
            fence = opening.group(1)
            out.append(line)
            continue
        found = _ADMONITION.match(line)
        if not found:
            out.append(line)
            continue
        kinds, title = found.group(1), found.group(2)
        if title is None:
            title = kinds.split()[0].capitalize()
        body: list[str] = []
        while index < len(lines) and (lines[index].startswith(("    ", "\t")) or not lines[index].strip()):
            body.append(lines[index][4:] if lines[index].startswith("    ") else lines[index][1:])
            index += 1
        while body and not body[-1].strip():
            body.pop()
            index -= 1
        out += ["", f'<div class="admonition {kinds}">']
        if title:
            out.append(f'<p class="admonition-title">{_inline(title)}</p>')
        out += ["", _admonitions("\n".join(body)), "", "</div>", ""]
    return "\n".join(out)


class _Finisher:
    """One pass over cmark's HTML: heading ids and section links, glossary links, and what the site collects."""

    def __init__(self, source: str, matcher: TermMatcher | None) -> None:
        self.source = source
        self.matcher = matcher if matcher is not None and matcher.pattern is not None else None
        self.out: list[str] = []
        self.copied = 0                 # source[:copied] is in self.out
        self.result = Rendered(html="")
        self.used_ids = set(_PINNED_IDS.findall(source))
        self.used_terms: set[str] = set()

    def run(self) -> Rendered:
        source, result = self.source, self.result
        stack: list[str] = []
        no_links = 0                    # open elements in which terms are not linked
        text_start = 0                  # where the text after the last tag starts
        heading_start = heading_end = -1
        section_start, anchor, title = 0, "", ""
        for tag in _TAG.finditer(source):
            if no_links == 0 and self.matcher is not None and tag.start() > text_start:
                self._link_terms(text_start, tag.start())
            text_start = tag.end()
            name = tag.group(2)
            if name is None:            # comment or declaration
                continue
            name = name.lower()
            if tag.group(1):            # end tag
                if name in stack:
                    while stack:
                        popped = stack.pop()
                        no_links -= popped in _NO_TERM_LINKS
                        if popped == name:
                            break
                if name in _HEADINGS and heading_start >= 0:
                    level = int(name[1])
                    top = not stack and level in (2, 3)
                    if top:
                        result.sections.append(Section(anchor, title, _plain(source[section_start:heading_start])))
                        section_start = tag.end()
                    new_anchor, new_title = self._heading(level, heading_start, heading_end, tag, top)
                    if top:
                        anchor, title = new_anchor, new_title
                    heading_start = -1
                continue
            if name == "a":
                href = _HREF.search(tag.group(3))
                if href:
                    result.links.append(unescape(href.group(1) if href.group(1) is not None else href.group(2)))
            elif name in _HEADINGS and not tag.group(3):
                # cmark writes headings without attributes; raw HTML headings are left as they are.
                heading_start, heading_end = tag.start(), tag.end()
            if name not in _VOID and not tag.group(3).endswith("/"):
                stack.append(name)
                no_links += name in _NO_TERM_LINKS
        if no_links == 0 and self.matcher is not None and len(source) > text_start:
            self._link_terms(text_start, len(source))
        result.sections.append(Section(anchor, title, _plain(source[section_start:])))
        result.sections[:] = [s for s in result.sections if s.text or s.anchor]
        result.words = sum(len(_WORD.findall(s.heading + " " + s.text)) for s in result.sections)
        self.out.append(source[self.copied:])
        result.html = "".join(self.out)
        return result

    def _heading(self, level: int, start: int, inner_start: int, end: re.Match[str], top: bool) -> tuple[str, str]:
        """Give the heading an id (and, for a section, a link to itself); return its id and text."""
        inner = self.source[inner_start:end.start()]
        pinned = _PINNED_ID.search(inner)
        if pinned:
            inner = inner[: pinned.start()]
            anchor = pinned.group(1)
        text = _plain(inner)
        if not pinned:
            anchor = _unique(slugify(text), self.used_ids)
        self.out.append(self.source[self.copied:start])
        self.out.append(f'<h{level} id="{escape(anchor)}">{inner}')
        if top:
            self.result.headings.append(Heading(level, anchor, text))
            self.out.append(
                f'<a class="section-link" href="#{escape(anchor)}" aria-label="Link to this section: {escape(text)}"'
                ' title="Link to this section">#</a>'
            )
        self.out.append(f"</h{level}>")
        self.copied = end.end()
        return anchor, text

    def _link_terms(self, start: int, end: int) -> None:
        """Link the terms first used in the text source[start:end]."""
        matcher = self.matcher
        assert matcher is not None
        escaped = self.source[start:end]
        # Match on the text as written, so that "&amp;" is one character and never part of a term.
        text = unescape(escaped) if "&" in escaped else escaped
        pieces: list[str] = []
        cursor = 0
        for match in matcher.pattern.finditer(text):  # type: ignore[union-attr]
            term = matcher.term_for(match.group(0))
            if term is None or term.id in self.used_terms:
                continue
            self.used_terms.add(term.id)
            opening, href = matcher.links[term.id]
            pieces += [_escape_text(text[cursor:match.start()]), opening, _escape_text(match.group(0)), "</a>"]
            self.result.links.append(href)
            cursor = match.end()
        if pieces:
            self.out += [self.source[self.copied:start], *pieces, _escape_text(text[cursor:])]
            self.copied = end


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
    return _Finisher(_cmark(_admonitions(text)), terms).run()
