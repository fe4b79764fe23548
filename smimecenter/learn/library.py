"""The content library: every page and the glossary, loaded and validated together.

Pages are read and rendered once per process. In development (DEBUG) the
library is rebuilt when a file under ``content/`` changes, which costs one
``stat`` per file per request; in production it never changes after start-up.
"""
from __future__ import annotations

import gc
import re
import threading
import tomllib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from smimecenter.learn import frontmatter, rendering
from smimecenter.learn.content_cache import ContentCache, code_version
from smimecenter.learn.frontmatter import SECTIONS, FrontMatter, FrontMatterError, Source
from smimecenter.learn.rendering import (
    GlossaryTerm,
    Rendered,
    TermMatcher,
    decode_rendered,
    encode_rendered,
    render,
    render_many,
)

# Rendered pages in the disk cache are valid for this renderer code and Python-Markdown version only.
RENDER_VERSION = code_version(*rendering.CODE_FILES, extra=rendering.RENDERER_VERSION)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
GLOSSARY_FILE = "glossary.toml"
SECTION_TITLES = {
    "learn": "Learn",
    "guides": "Set-up guides",
    "troubleshooting": "Troubleshooting",
}
SECTION_SUMMARIES = {
    "learn": "How S/MIME works: certificates, keys, trust and the words that come with them.",
    "guides": "Step-by-step set-up for the mail apps people use, and for the admins who support them.",
    "troubleshooting": "Named after the message you see: the likely causes, most likely first, and the fix for each.",
}
STATIC_URL = "/static/"
# Site paths that are not content pages but may be linked from content.
STATIC_PATHS = frozenset({"/", "/learn/", "/guides/", "/troubleshooting/", "/search/", "/glossary/",
                          "/tools/diagnose/", "/api/"})


@dataclass(frozen=True)
class Problem:
    """Something wrong with the content; reported by ``manage.py check``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class Page:
    slug: str
    meta: FrontMatter
    rendered: Rendered
    path: Path

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def summary(self) -> str:
        return self.meta.summary

    @property
    def section(self) -> str:
        return self.meta.section

    @property
    def updated(self) -> date:
        return self.meta.updated

    @property
    def url(self) -> str:
        return f"/{self.section}/{self.slug}/"

    @property
    def section_title(self) -> str:
        return SECTION_TITLES[self.section]


@dataclass(frozen=True)
class GlossaryEntry:
    term: GlossaryTerm
    html: str


@dataclass
class Glossary:
    title: str = "Glossary"
    summary: str = ""
    updated: date | None = None
    sources: tuple[Source, ...] = ()
    entries: list[GlossaryEntry] = field(default_factory=list)

    url = "/glossary/"

    @property
    def anchors(self) -> set[str]:
        return {entry.term.id for entry in self.entries}


@dataclass
class Library:
    pages: dict[str, Page] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    glossary: Glossary = field(default_factory=Glossary)
    problems: list[Problem] = field(default_factory=list)
    # Folders that links to /static/ point into.
    static_dirs: tuple[Path, ...] = ()
    # (file, link, url of the page holding it): checked once every page is loaded.
    links_to_check: list[tuple[str, str, str]] = field(default_factory=list, repr=False)

    def section(self, name: str) -> list[Page]:
        pages = [page for page in self.pages.values() if page.section == name]
        return sorted(pages, key=lambda p: (p.meta.order if p.meta.order is not None else 10_000, p.title))

    def neighbours(self, page: Page) -> tuple[Page | None, Page | None]:
        pages = self.section(page.section)
        index = pages.index(page)
        previous = pages[index - 1] if index > 0 else None
        following = pages[index + 1] if index + 1 < len(pages) else None
        return previous, following

    def related(self, page: Page) -> list[Page]:
        return [self.pages[slug] for slug in page.meta.related if slug in self.pages]

    def anchors_of(self, path: str) -> set[str] | None:
        """Anchors of the page at a site path, or None when no page is there."""
        if path == Glossary.url:
            return self.glossary.anchors
        if path in STATIC_PATHS:
            return set()
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[0] in SECTIONS:
            page = self.pages.get(parts[1])
            if page is not None and page.section == parts[0]:
                return page.rendered.anchors
        return None

    def resolve(self, path: str) -> str | None:
        """Follow a redirect_from for an old page path; the path itself when it exists."""
        if self.anchors_of(path) is not None:
            return path
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[0] in SECTIONS and parts[1] in self.redirects:
            return self.pages[self.redirects[parts[1]]].url
        return None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while building the library or its index.

    A build creates a great many objects that all stay alive; the collector
    would walk them again each time the heap grows and free nothing (about
    5% of a first start). Nothing built here forms reference cycles.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def load_library(content_dir: Path, *, cache: ContentCache | None = None,
                 static_dirs: Sequence[Path] | None = None) -> Library:
    """Read, render and check every page.

    ``static_dirs`` (by default ``static/`` beside the content folder) hold the
    files that links to /static/ (diagrams) must find.
    """
    library = Library(static_dirs=tuple(static_dirs) if static_dirs is not None else (content_dir.parent / "static",))
    cache = cache or ContentCache(None)
    with collector_paused():
        matcher = _load_glossary(content_dir, library, cache)
        files: dict[str, _PageFile] = {}
        for path in sorted(content_dir.glob("*/*.md")):
            _read_page(path, content_dir, library, files)
        for file, rendered in zip(files.values(), _render_all(cache, [f.body for f in files.values()], matcher)):
            page = Page(slug=file.slug, meta=file.meta, rendered=rendered, path=file.path)
            library.pages[page.slug] = page
            where = _relative(file.path, content_dir)
            for link in rendered.links:
                _remember_link(library, where, link, source_url=page.url)
        cache.save()
        _check_relations(library)
        _check_links(library)
    return library


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _load_glossary(content_dir: Path, library: Library, cache: ContentCache) -> TermMatcher | None:
    path = content_dir / GLOSSARY_FILE
    where = _relative(path, content_dir)
    if not path.exists():
        library.problems.append(Problem(where, "the glossary file is missing"))
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        library.problems.append(Problem(where, f"not valid TOML: {exc}"))
        return None
    unknown = set(data) - {"title", "summary", "updated", "sources", "terms"}
    if unknown:
        library.problems.append(Problem(where, f"unknown key(s): {', '.join(sorted(unknown))}"))
    glossary = library.glossary
    glossary.title = str(data.get("title", "Glossary"))
    glossary.summary = str(data.get("summary", ""))
    updated = data.get("updated")
    glossary.updated = updated if isinstance(updated, date) else None
    try:
        glossary.sources = frontmatter._sources(data.get("sources"))
    except FrontMatterError as exc:
        library.problems.append(Problem(where, str(exc)))
    terms: list[GlossaryTerm] = []
    bodies: list[str] = []
    seen_phrases: dict[str, str] = {}
    for number, item in enumerate(data.get("terms", []), start=1):
        if not isinstance(item, dict) or set(item) != {"id", "term", "matches", "short", "body"}:
            library.problems.append(Problem(where, f"term {number} must have id, term, matches, short and body"))
            continue
        term = GlossaryTerm(str(item["id"]), str(item["term"]), tuple(map(str, item["matches"])), str(item["short"]))
        if not SLUG.match(term.id) or term.id in {t.id for t in terms}:
            library.problems.append(Problem(where, f"term {term.term!r} has a bad or duplicate id {term.id!r}"))
            continue
        if len(term.short) > 160:
            library.problems.append(Problem(where, f"term {term.id!r}: 'short' is over 160 characters"))
        for phrase in term.matches:
            key = phrase if phrase != phrase.lower() else phrase.lower()
            if key in seen_phrases:
                library.problems.append(Problem(where, f"phrase {phrase!r} is used by {seen_phrases[key]!r} and {term.id!r}"))
            seen_phrases[key] = term.id
        terms.append(term)
        bodies.append(str(item["body"]))
    for term, rendered in zip(terms, _render_all(cache, bodies, None)):
        glossary.entries.append(GlossaryEntry(term, rendered.html))
        for link in rendered.links:
            _remember_link(library, where, link, source_url=Glossary.url)
    glossary.entries.sort(key=lambda entry: entry.term.term.lower())
    return TermMatcher(terms, base_url=Glossary.url)


def _remember_link(library: Library, where: str, link: str, *, source_url: str) -> None:
    library.links_to_check.append((where, link, source_url))


class _PageFile(NamedTuple):
    slug: str
    meta: FrontMatter
    path: Path
    body: str


def _read_page(path: Path, content_dir: Path, library: Library, files: dict[str, _PageFile]) -> None:
    """Add the page file to ``files`` (by slug), or a problem to the library when it is unusable."""
    where = _relative(path, content_dir)
    slug = path.stem
    if not SLUG.match(slug):
        library.problems.append(Problem(where, "file names must be lowercase words joined by hyphens"))
        return
    try:
        head, body = frontmatter.split(path.read_text(encoding="utf-8"))
        meta = frontmatter.parse(head)
    except (FrontMatterError, UnicodeDecodeError) as exc:
        library.problems.append(Problem(where, str(exc)))
        return
    if meta.section != path.parent.name:
        library.problems.append(Problem(where, f"section is {meta.section!r} but the file is in {path.parent.name}/"))
    if slug in files:
        library.problems.append(Problem(where, f"duplicate slug {slug!r} (also {_relative(files[slug].path, content_dir)})"))
        return
    files[slug] = _PageFile(slug, meta, path, body)


def _render_all(cache: ContentCache, bodies: list[str], matcher: TermMatcher | None) -> list[Rendered]:
    """Each body rendered, from the disk cache where it holds the page for this code and glossary."""
    salt = "\n".join([RENDER_VERSION, matcher.fingerprint if matcher is not None else "no glossary", ""])
    keys = [salt + body for body in bodies]
    results = [cache.get("page", key, decode_rendered) for key in keys]
    missing = [number for number, rendered in enumerate(results) if rendered is None]
    texts = [bodies[number] for number in missing]
    if len(texts) >= rendering.POOL_FROM:
        fresh = render_many(texts, terms=matcher)
    else:
        fresh = [render(text, terms=matcher) for text in texts]
    for number, rendered in zip(missing, fresh):
        cache.put("page", keys[number], encode_rendered(rendered))
        results[number] = rendered
    return results  # type: ignore[return-value]


def _check_relations(library: Library) -> None:
    for page in library.pages.values():
        where = f"content/{page.section}/{page.slug}.md"
        for slug in page.meta.related:
            if slug not in library.pages:
                library.problems.append(Problem(where, f"related page {slug!r} does not exist"))
            elif slug == page.slug:
                library.problems.append(Problem(where, "a page cannot be related to itself"))
        for old in page.meta.redirect_from:
            if not SLUG.match(old):
                library.problems.append(Problem(where, f"redirect_from {old!r} is not a valid slug"))
            elif old in library.pages:
                library.problems.append(Problem(where, f"redirect_from {old!r} is the slug of a live page"))
            elif old in library.redirects:
                library.problems.append(Problem(where, f"redirect_from {old!r} is claimed by {library.redirects[old]!r} too"))
            else:
                library.redirects[old] = page.slug


def _check_links(library: Library) -> None:
    for where, link, source_url in library.links_to_check:
        problem = _link_problem(library, link, source_url)
        if problem:
            library.problems.append(Problem(where, problem))


def _link_problem(library: Library, link: str, source_url: str) -> str | None:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https", "mailto"):
            return f"link {link!r} uses a scheme that is not allowed"
        return None
    path = parts.path or source_url
    if not path.startswith("/"):
        return f"internal link {link!r} must be a site path starting with /"
    if path.startswith(STATIC_URL):
        if _static_file_exists(library, path[len(STATIC_URL):]):
            return None
        return f"link {link!r} points to a static file that does not exist"
    anchors = library.anchors_of(path)
    if anchors is None:
        return f"internal link {link!r} points to a page that does not exist"
    if parts.fragment and parts.fragment not in anchors:
        return f"internal link {link!r} points to an anchor that does not exist"
    return None


def _static_file_exists(library: Library, relative: str) -> bool:
    parts = PurePosixPath(relative).parts
    if not parts or ".." in parts:
        return False
    return any(directory.joinpath(*parts).is_file() for directory in library.static_dirs)


class _Cache:
    """One library per process; rebuilt in development when a content file changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._library: Library | None = None
        self._stamp: tuple | None = None
        self._dir: Path | None = None

    def get(self, content_dir: Path, *, watch: bool, cache: ContentCache | None = None) -> Library:
        if self._library is not None and self._dir == content_dir and not watch:
            return self._library
        stamp = _stamp(content_dir) if watch or self._library is None else None
        with self._lock:
            if self._library is None or self._dir != content_dir or (watch and stamp != self._stamp):
                self._library = load_library(content_dir, cache=cache)
                self._stamp = stamp if stamp is not None else _stamp(content_dir)
                self._dir = content_dir
            return self._library

    def clear(self) -> None:
        with self._lock:
            self._library = None


def _stamp(content_dir: Path) -> tuple:
    files = sorted([*content_dir.glob("*/*.md"), content_dir / GLOSSARY_FILE])
    return tuple((str(f), f.stat().st_mtime_ns) for f in files if f.exists())


cache = _Cache()
