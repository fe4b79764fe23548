"""Markdown to HTML with Python-Markdown, done once when content loads, never per request.

Python-Markdown's own extensions do the syntax: ``toc`` gives every heading
an id (our ``slugify``, "_1", "_2"… for repeats), ``attr_list`` pins one
(``## Heading {: #anchor }``, which wins), ``admonition`` makes call-outs
(``!!! kind "Title"`` and a body indented by four spaces, any kind word),
``tables`` and ``fenced_code`` the rest. Our Treeprocessors then work on the
element tree: ``page_outline`` collects the headings, the sections as plain
text (search) and the links and image sources (validation) and adds the
"link to this section" anchors; ``glossary_terms`` links the first use of
each glossary phrase. ``html_output`` writes the tree as HTML.

Content files are the site's own: raw HTML in them is kept, except the tags
GitHub's tagfilter neutralises (script, style, iframe…).
"""
from __future__ import annotations

import multiprocessing
import os
import re
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from importlib.metadata import version
from pathlib import Path

import markdown
from markdown.blockprocessors import HashHeaderProcessor

from smimecenter.learn import glossary_terms, html_output, page_outline
from smimecenter.learn.glossary_terms import GlossaryLinker, GlossaryTerm, TermMatcher
from smimecenter.learn.html_output import RawHtmlFilter, serialize
from smimecenter.learn.page_outline import Heading, OutlineCollector, Section, slugify

__all__ = [
    "CODE_FILES", "GlossaryTerm", "Heading", "RENDERER_VERSION", "Rendered", "Section", "TermMatcher",
    "decode_rendered", "encode_rendered", "render", "render_many", "slugify",
]

WORDS_PER_MINUTE = 200
# Identifies the renderer in cache keys: pages are rendered again when it or our code changes.
RENDERER_VERSION = f"markdown {version('markdown')}"
CODE_FILES = tuple(Path(module.__file__) for module in (glossary_terms, html_output, page_outline)) + (Path(__file__),)
EXTENSION_CONFIGS = {
    # marker "" turns off the "[TOC]" placeholder: the article template shows the table of contents.
    "toc": {"slugify": slugify, "marker": ""},
}
EXTENSIONS = ["toc", "attr_list", "admonition", "tables", "fenced_code", "sane_lists"]
# Below this many pages a process pool costs more than it saves.
POOL_FROM = 64

_WORD = re.compile(r"\w+")


@dataclass
class Rendered:
    """A rendered page: its HTML and what the site collects from it."""

    html: str
    headings: list[Heading] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

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


class _SpacedHashHeading(HashHeaderProcessor):
    """A "#" heading needs a space after its "#"s, as in CommonMark: "#19495, a developer…" stays a paragraph."""

    RE = re.compile(r"(?:^|\n)(?P<level>#{1,6})(?=[ \t]|\n|$)(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)")


class _Renderer:
    """One configured Markdown instance (building one costs more than rendering a page); one per thread."""

    def __init__(self) -> None:
        md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html")
        md.serializer = serialize
        md.parser.blockprocessors.register(_SpacedHashHeading(md.parser), "hashheader", 70)
        self.outline = OutlineCollector(md)
        self.glossary = GlossaryLinker(md)
        # After the built-in ones (inline 20, attr_list 8, toc 5, unescape 0): ids are set, text is final.
        md.treeprocessors.register(RawHtmlFilter(md), "smimecenter_raw_html", -5)
        md.treeprocessors.register(self.outline, "smimecenter_outline", -10)
        md.treeprocessors.register(self.glossary, "smimecenter_glossary", -20)
        self.md = md

    def render(self, text: str, terms: TermMatcher | None) -> Rendered:
        self.md.reset()
        self.glossary.matcher = terms
        self.outline.outline = page_outline.Outline([], [], [])
        html = self.md.convert(text)
        outline = self.outline.outline
        return Rendered(
            html=html + "\n" if html else "",
            headings=outline.headings,
            sections=outline.sections,
            links=outline.links,
        )


_local = threading.local()


def _renderer() -> _Renderer:
    renderer = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = _local.renderer = _Renderer()
    return renderer


def render(text: str, *, terms: TermMatcher | None = None) -> Rendered:
    """Render one page's Markdown body, with its glossary terms linked when ``terms`` is given."""
    return _renderer().render(text, terms)


def render_many(texts: Sequence[str], *, terms: TermMatcher | None = None) -> list[Rendered]:
    """Render many pages, over every core when there are enough of them (a first start, ``render_content``)."""
    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8)
    if len(texts) < POOL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [render(text, terms=terms) for text in texts]
    # fork: workers start at once and inherit this thread's renderer, built here first, so that they import
    # nothing (another thread of a server could hold the import lock at the moment of the fork).
    _renderer()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_set_pool_terms, initargs=(terms,)) as pool:
        chunk = max(1, len(texts) // (workers * 4))
        return [decode_rendered(data) for data in pool.map(_render_in_pool, texts, chunksize=chunk)]


_pool_terms: TermMatcher | None = None


def _set_pool_terms(terms: TermMatcher | None) -> None:
    global _pool_terms
    _pool_terms = terms


def _render_in_pool(text: str) -> dict[str, object]:
    # Plain data crosses back to the parent faster than dataclasses.
    return encode_rendered(render(text, terms=_pool_terms))


def encode_rendered(rendered: Rendered) -> dict[str, object]:
    return {
        "html": rendered.html,
        "headings": [[h.level, h.anchor, h.text] for h in rendered.headings],
        "sections": [[s.anchor, s.heading, s.text] for s in rendered.sections],
        "links": rendered.links,
    }


def decode_rendered(data: dict) -> Rendered:
    return Rendered(
        html=data["html"],
        headings=[Heading(int(level), anchor, text) for level, anchor, text in data["headings"]],
        sections=[Section(anchor, heading, text) for anchor, heading, text in data["sections"]],
        links=list(data["links"]),
    )
