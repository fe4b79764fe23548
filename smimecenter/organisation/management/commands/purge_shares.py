from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from smimecenter.organisation.sharing import purge_expired


class Command(BaseCommand):
    help = "Delete shared diagnoses whose link has expired (run it daily from cron or a timer)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = purge_expired()
        self.stdout.write(f"Deleted {count} expired shared diagnos{'is' if count == 1 else 'es'}.")
