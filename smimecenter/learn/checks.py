"""Content problems are system-check errors, so a broken page fails ``manage.py check`` and the tests."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from smimecenter.learn.current import content_cache
from smimecenter.learn.library import load_library


@register("content")
def check_content(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    library = load_library(settings.CONTENT_DIR, cache=content_cache())
    return [Error(problem.message, obj=problem.path, id="learn.E001") for problem in library.problems]
