from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from smimecenter.diagnostics.wording import counted
from smimecenter.learn.library import load_library
from smimecenter.learn.linklock import LOCK_FILE, broken_links, read_lock, write_lock


class Command(BaseCommand):
    help = "Rewrite content/links.lock, the list of public page URLs and anchors that must keep working."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Only report locked links that no longer resolve.")

    def handle(self, *args: Any, **options: Any) -> None:
        library = load_library(settings.CONTENT_DIR)
        if library.problems:
            raise CommandError(f"fix the {counted(len(library.problems), 'content problem')} first (manage.py check)")
        path = settings.CONTENT_DIR / LOCK_FILE
        broken = broken_links(library, read_lock(path))
        if options["check"]:
            for line in broken:
                self.stdout.write(line)
            if broken:
                verb = "no longer resolves" if len(broken) == 1 else "no longer resolve"
                raise CommandError(f"{counted(len(broken), 'locked link')} {verb}")
            self.stdout.write("Every locked link resolves.")
            return
        for line in broken:
            self.stderr.write(f"dropped: {line}")
        count = write_lock(path, library)
        self.stdout.write(f"Wrote {count} links to {path}.")
