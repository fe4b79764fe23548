from __future__ import annotations

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "smimecenter.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment checks)
