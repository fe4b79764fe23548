"""Render every page into the disk cache before the first request (a deployment step)."""
from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from smimecenter.learn.content_cache import ContentCache
from smimecenter.learn.library import load_library


class Command(BaseCommand):
    help = ("Render every page of content/ into the disk cache (CONTENT_CACHE_DIR), so that the site's first start "
            "and first requests render nothing. Reads the content; writes only the cache.")
    requires_system_checks: list[str] = []      # the checks load the library too: this command does it once

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.CONTENT_CACHE_DIR is None:
            raise CommandError("CONTENT_CACHE_DIR is empty, so there is no cache to fill: pages are rendered at start")
        cache = ContentCache(settings.CONTENT_CACHE_DIR)
        start = time.perf_counter()
        library = load_library(settings.CONTENT_DIR, cache=cache)
        elapsed = time.perf_counter() - start
        if cache.unwritten:
            raise CommandError(f"could not write {', '.join(map(str, cache.unwritten))}: check the folder's permissions")
        self.stdout.write(
            f"{len(library.pages)} pages and {len(library.glossary.entries)} glossary entries ready in "
            f"{settings.CONTENT_CACHE_DIR} ({cache.added} rendered, {cache.found} already there) in {elapsed:.1f} s."
        )
        if library.problems:
            for problem in library.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(library.problems)} content problem(s): see manage.py check")
