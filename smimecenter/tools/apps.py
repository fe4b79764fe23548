from __future__ import annotations

from django.apps import AppConfig


class ToolsConfig(AppConfig):
    name = "smimecenter.tools"
    label = "tools"
    verbose_name = "Tools"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
