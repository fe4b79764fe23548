from __future__ import annotations

from django.apps import AppConfig


class ToolsConfig(AppConfig):
    name = "smimecenter.tools"
    label = "tools"
    verbose_name = "Tools"
