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
sections as plain text (search), and its links (validation). The first use of
each glossary term is linked when the page is first served (``link_terms``):
a start-up renders every page but serves few of them.

The HTML comes from cmark, which escapes all text and attribute values; the
templates mark it safe, so this module is where content is escaped. Whatever
it inserts itself (ids, titles, glossary links) it escapes here too.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
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

_ADMONITION = re.compile(r'!!! ?([\w-]+(?: +[\w-]+)*)(?: +"(.*)")? *$')
# Lines that open or close fenced code, and lines that may open an admonition.
_SPECIAL_LINE = re.compile(r"\n(?: {0,3}(`{3,}|~{3,})|!!!)[^\n]*")
_BODY = re.compile(r"(?:\n(?:(?:    |\t)[^\n]*|[ \t]*(?=\n|$)))*")
_INDENT = re.compile(r"^(?:    |\t)", re.MULTILINE)
# Characters that may start inline Markdown (code, emphasis, links, raw HTML, entities, escapes).
_INLINE_SYNTAX = re.compile(r"[`*_\[\]<>&\\!]")


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
    """A rendered page: its HTML and what the site collects from it.

    ``body`` is the HTML without glossary links; ``html`` adds them the first
    time it is asked for (when the page is first served), so loading the
    library costs only what the index and the link checks need.
    """

    body: str
    headings: list[Heading] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    terms: TermMatcher | None = field(default=None, compare=False, repr=False)

    @cached_property
    def html(self) -> str:
        return link_terms(self.body, self.terms) if self.terms is not None else self.body

    @property
    def anchors(self) -> set[str]:
        return {heading.anchor for heading in self.headings}

    @cached_property
    def words(self) -> int:
        """Words in the page's headings and text; counted when first asked for (a page being served)."""
        return sum(len(_WORD.findall(s.heading + " " + s.text)) for s in self.sections)

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.words / WORDS_PER_MINUTE))


# A phrase starts a word: the character before it is not a word character, "/", "#", "." or "-" (nor
# "&", which in HTML text only begins an entity such as "&amp;"). The pattern takes that character in.
_BEFORE_PHRASE = r"[^\w/#.&-]"


class TermMatcher:
    """Finds glossary phrases in the text of cmark's HTML.

    A phrase with a capital letter ("CSR") matches only as written; an
    all-lowercase phrase ("root store") matches in any case. Where several
    phrases fit at one place, a phrase as written wins over an any-case one,
    then the longer over the shorter; matches do not overlap.
    """

    def __init__(self, terms: list[GlossaryTerm], *, base_url: str = "/glossary/") -> None:
        self.base_url = base_url
        # Phrases are looked for as cmark escapes them ("&" as "&amp;"), the any-case ones in lowercase.
        self.exact: dict[str, GlossaryTerm] = {}
        self.folded: dict[str, GlossaryTerm] = {}
        for term in terms:
            for phrase in term.matches:
                if phrase != phrase.lower():
                    self.exact[_escape_text(phrase)] = term
                else:
                    self.folded[_escape_text(phrase)] = term
        self.pattern = _phrase_pattern(self.exact, self.folded)
        self.terms = {term.id: term for term in terms}

    def term_for(self, matched: str) -> GlossaryTerm | None:
        """The term of a phrase as found by ``pattern`` (without the character before it)."""
        return self.exact.get(matched) or self.folded.get(matched.lower())


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
    if not _INLINE_SYNTAX.search(text):
        return _escape_text(text.strip())
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
    text = "\n" + text                 # so that every line, the first too, follows a newline
    out: list[str] = []
    copied = 1                          # text[1:copied] is in out
    fence = ""                          # the opening fence of the code block we are in
    for line in _SPECIAL_LINE.finditer(text):
        marker = line.group(1)
        if fence:
            if marker and marker[0] == fence[0] and len(marker) >= len(fence) \
                    and not line.group(0).strip().strip(fence[0]):
                fence = ""
            continue
        if marker:
            fence = marker
            continue
        found = _ADMONITION.match(line.group(0), 1)
        if not found or line.start() + 1 < copied:
            continue
        kinds, title = found.group(1), found.group(2)
        if title is None:
            title = kinds.split()[0].capitalize()
        # The body: the following lines indented by four spaces (or a tab), blank lines between them included.
        body = _BODY.match(text, line.end()).group(0).rstrip()
        out += [text[copied:line.start() + 1], f'\n<div class="admonition {kinds}">\n']
        if title:
            out.append(f'<p class="admonition-title">{_inline(title)}</p>\n')
        out += ["\n", _admonitions(_INDENT.sub("", body[1:])), "\n\n</div>\n"]
        copied = line.end() + len(body)
    out.append(text[copied:])
    return "".join(out)


class _Finisher:
    """One pass over cmark's HTML: heading ids and section links, and what the site collects."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.out: list[str] = []
        self.copied = 0                 # source[:copied] is in self.out
        self.result = Rendered(body="")
        self.used_ids = set(_PINNED_IDS.findall(source))

    def run(self) -> Rendered:
        source, result = self.source, self.result
        stack: list[str] = []
        heading_start = heading_end = -1
        section_start, anchor, title = 0, "", ""
        for tag in _TAG.finditer(source):
            closing, name, attributes = tag.groups()
            if name is None:            # comment or declaration
                continue
            name = name.lower()
            if closing:
                if name in stack:
                    while stack.pop() != name:
                        pass
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
                href = _HREF.search(attributes)
                if href:
                    result.links.append(unescape(href.group(1) if href.group(1) is not None else href.group(2)))
            elif name in _HEADINGS and not attributes:
                # cmark writes headings without attributes; raw HTML headings are left as they are.
                heading_start, heading_end = tag.start(), tag.end()
            if name not in _VOID and not attributes.endswith("/"):
                stack.append(name)
        result.sections.append(Section(anchor, title, _plain(source[section_start:])))
        result.sections[:] = [s for s in result.sections if s.text or s.anchor]
        self.out.append(source[self.copied:])
        result.body = "".join(self.out)
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


def glossary_term_html(term: GlossaryTerm, text: str, base_url: str = "/glossary/") -> str:
    """The one place that writes a glossary term into a page: the word (``text``, already HTML)
    is a button that opens the short definition, on tap, click or Enter, with no script (the
    ``popover`` attribute; Escape or a tap elsewhere closes it). The definition links to the
    glossary entry. Used once per term per page, so the id is unique on the page."""
    target = escape(f"gloss-{term.id}")
    return (f'<button type="button" class="term" popovertarget="{target}">{text}</button>'
            f'<span class="term-definition" id="{target}" popover><strong>{escape(term.term)}</strong> '
            f'{escape(term.short)} <a href="{escape(f"{base_url}#{term.id}")}">In the glossary</a></span>')


def link_terms(html: str, matcher: TermMatcher, *, used: set[str] | None = None) -> str:
    """``html`` with the first use of each glossary term linked to its definition.

    Never inside headings, links, code, pre, kbd or abbr. The HTML is cmark's
    (with this module's additions), so every "<" starts a tag. ``used`` carries the terms
    already explained across several calls for one page (the findings of a result page).
    """
    pattern = matcher.pattern
    phrases = pattern.finditer(html) if pattern is not None else iter(())
    phrase = next(phrases, None)
    out: list[str] = []
    copied = 0                          # html[:copied] is in out
    used = set() if used is None else used
    stack: list[str] = []
    no_links = 0                        # open elements in which terms are not linked
    text_start = 0                      # where the text after the last tag starts

    def link(phrase: re.Match[str]) -> None:
        nonlocal copied
        # A match begins with the character before the phrase (cmark's HTML begins with a tag, not a phrase).
        start, end = phrase.start() + 1, phrase.end()
        if no_links or start < text_start:
            return
        text = html[start:end]
        term = matcher.term_for(text)
        if term is None or term.id in used:
            return
        used.add(term.id)
        out.extend((html[copied:start], glossary_term_html(term, text, matcher.base_url)))
        copied = end

    for tag in _TAG.finditer(html):
        while phrase is not None and phrase.start() < tag.start():
            link(phrase)
            phrase = next(phrases, None)
        if phrase is None:
            break
        text_start = tag.end()
        closing, name, attributes = tag.groups()
        if name is None:
            continue
        name = name.lower()
        if closing:
            if name in stack:
                while True:
                    popped = stack.pop()
                    no_links -= popped in _NO_TERM_LINKS
                    if popped == name:
                        break
        elif name not in _VOID and not attributes.endswith("/"):
            stack.append(name)
            no_links += name in _NO_TERM_LINKS
    while phrase is not None:
        link(phrase)
        phrase = next(phrases, None)
    if not out:
        return html
    out.append(html[copied:])
    return "".join(out)


def encode_rendered(rendered: Rendered) -> dict[str, object]:
    return {
        "body": rendered.body,
        "headings": [[h.level, h.anchor, h.text] for h in rendered.headings],
        "sections": [[s.anchor, s.heading, s.text] for s in rendered.sections],
        "links": rendered.links,
    }


def decode_rendered(data: dict) -> Rendered:
    return Rendered(
        body=data["body"],
        headings=[Heading(int(level), anchor, text) for level, anchor, text in data["headings"]],
        sections=[Section(anchor, heading, text) for anchor, heading, text in data["sections"]],
        links=list(data["links"]),
    )


def render(text: str, *, terms: TermMatcher | None = None) -> Rendered:
    """Render one page's Markdown body; glossary terms are linked when its ``html`` is first used."""
    rendered = _Finisher(_cmark(_admonitions(text))).run()
    rendered.terms = terms
    return rendered
