from __future__ import annotations

from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    """Only hosts the management commands; the engine itself never imports Django."""

    name = "smimecenter.diagnostics"
    label = "diagnostics"
    verbose_name = "Diagnostics"
