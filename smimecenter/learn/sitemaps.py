"""sitemap.xml: every page with its last-modified date."""
from __future__ import annotations

from datetime import date

from django.contrib.sitemaps import Sitemap

from smimecenter.learn import current
from smimecenter.learn.frontmatter import SECTIONS
from smimecenter.learn.library import Page


class ArticleSitemap(Sitemap):
    def items(self) -> list[Page]:
        return sorted(current.library().pages.values(), key=lambda page: page.url)

    def location(self, item: Page) -> str:
        return item.url

    def lastmod(self, item: Page) -> date:
        return item.updated


class SectionSitemap(Sitemap):
    def items(self) -> list[str]:
        return ["/", *[f"/{name}/" for name in SECTIONS], "/glossary/"]

    def location(self, item: str) -> str:
        return item

    def lastmod(self, item: str) -> date | None:
        library = current.library()
        if item == "/glossary/":
            return library.glossary.updated
        pages = list(library.pages.values()) if item == "/" else library.section(item.strip("/"))
        return max((page.updated for page in pages), default=None)


SITEMAPS = {"pages": ArticleSitemap, "sections": SectionSitemap}
