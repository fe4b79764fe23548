from __future__ import annotations

from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "smimecenter.organisation"
    label = "organisation"
    verbose_name = "Your organisation"

    def ready(self) -> None:
        # Registers the system checks and the signal handlers that refresh cached settings.
        from smimecenter.organisation import checks, signals  # noqa: F401
