"""An Atom feed of pages, newest update first, for admins who watch for changes."""
from __future__ import annotations

from datetime import datetime, time, timezone

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from smimecenter.learn import current
from smimecenter.learn.library import Page


class UpdatedPagesFeed(Feed):
    feed_type = Atom1Feed
    title = "SMIME Center: updated pages"
    link = "/"
    subtitle = "Articles, guides and troubleshooting pages, most recently updated first."
    # A feed reader needs the latest changes, not the whole archive.
    limit = 50

    def items(self) -> list[Page]:
        pages = sorted(current.library().pages.values(), key=lambda p: (p.updated, p.title), reverse=True)
        return pages[: self.limit]

    def item_title(self, item: Page) -> str:
        return item.title

    def item_description(self, item: Page) -> str:
        return item.summary

    def item_link(self, item: Page) -> str:
        return item.url

    def item_updateddate(self, item: Page) -> datetime:
        return datetime.combine(item.updated, time(0, 0), tzinfo=timezone.utc)

    def item_pubdate(self, item: Page) -> datetime:
        return self.item_updateddate(item)
