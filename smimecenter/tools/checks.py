"""System checks: a deployment's extra trust anchors must be readable before the first diagnosis."""
from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def trust_files_are_usable(app_configs=None, **kwargs) -> list[Error]:
    from .running import configured_trust_stores

    problems = []
    for path in settings.DIAGNOSE_TRUST_FILES:
        try:
            configured_trust_stores((path,))
        except ImproperlyConfigured as problem:
            problems.append(Error(str(problem), hint="Fix the path or the file, or remove it from DIAGNOSE_TRUST_FILES.",
                                  id="tools.E001"))
    return problems
