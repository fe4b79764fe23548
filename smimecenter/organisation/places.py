"""Places in the knowledge center that reading lists and notes point at: an article, or one section of it.

A place is stored as the article's slug and an optional heading anchor, and is resolved against the
library that is loaded now. Content changes after a place was saved: a page can be renamed (its old
slug then lives on as a redirect) or removed, a heading can lose its anchor. Resolution says which.
"""
from __future__ import annotations

from dataclasses import dataclass

from smimecenter.learn import current
from smimecenter.learn.library import Library, Page

# What a stored place turned out to be when resolved.
FOUND = "found"
PAGE_MISSING = "page-missing"
ANCHOR_MISSING = "anchor-missing"


@dataclass(frozen=True)
class ResolvedPlace:
    state: str
    page: Page | None
    anchor: str
    heading: str

    @property
    def ok(self) -> bool:
        return self.state == FOUND

    @property
    def url(self) -> str | None:
        """The link to show, or None when there is nothing to link to (never a broken link)."""
        if self.page is None:
            return None
        if self.state == FOUND and self.anchor:
            return f"{self.page.url}#{self.anchor}"
        return self.page.url

    @property
    def problem(self) -> str | None:
        if self.state == PAGE_MISSING:
            return "The article no longer exists."
        if self.state == ANCHOR_MISSING:
            title = self.page.title if self.page else "the article"
            return f"The section #{self.anchor} no longer exists in “{title}”."
        return None


def encode(slug: str, anchor: str = "") -> str:
    return f"{slug}#{anchor}" if anchor else slug


def decode(value: str) -> tuple[str, str]:
    slug, _, anchor = value.partition("#")
    return slug, anchor


def resolve(slug: str, anchor: str = "", library: Library | None = None) -> ResolvedPlace:
    library = library or current.library()
    page = library.pages.get(slug)
    if page is None and slug in library.redirects:
        # The article was renamed and keeps its old slug as a redirect: follow it.
        page = library.pages.get(library.redirects[slug])
    if page is None:
        return ResolvedPlace(PAGE_MISSING, None, anchor, "")
    if not anchor:
        return ResolvedPlace(FOUND, page, "", "")
    for heading in page.rendered.headings:
        if heading.anchor == anchor:
            return ResolvedPlace(FOUND, page, anchor, heading.text)
    return ResolvedPlace(ANCHOR_MISSING, page, anchor, "")


def describe(slug: str, anchor: str = "", library: Library | None = None) -> str:
    """A person's name for a place: "Thunderbird › Import your certificate"."""
    place = resolve(slug, anchor, library)
    if place.page is None:
        return encode(slug, anchor) + " (missing)"
    if not anchor:
        return place.page.title
    return f"{place.page.title} › {place.heading or '#' + anchor + ' (missing)'}"


def choices(library: Library | None = None, *, sections: bool = True) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every article, and under it each of its sections, grouped by part of the site, for a <select>."""
    library = library or current.library()
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for section_name in ("learn", "guides", "troubleshooting"):
        options: list[tuple[str, str]] = []
        for page in library.section(section_name):
            options.append((encode(page.slug), f"{page.title} (whole article)"))
            if sections:
                for heading in page.rendered.headings:
                    indent = "\u2003" * (heading.level - 1)
                    options.append((encode(page.slug, heading.anchor), f"{indent}{page.title} › {heading.text}"))
        if options:
            groups.append((section_name.capitalize(), options))
    return groups


def page_choices(page: Page) -> list[tuple[str, str]]:
    """The article itself and each of its sections, for the "add to a reading list" form on an article."""
    options = [(encode(page.slug), "The whole article")]
    for heading in page.rendered.headings:
        options.append((encode(page.slug, heading.anchor), heading.text))
    return options
