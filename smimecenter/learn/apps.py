from __future__ import annotations

from django.apps import AppConfig


class LearnConfig(AppConfig):
    name = "smimecenter.learn"
    label = "learn"
    verbose_name = "Learn"

    def ready(self) -> None:
        from smimecenter.learn import checks  # noqa: F401  (registers the content checks)
