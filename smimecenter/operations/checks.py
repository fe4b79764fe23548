"""Deployment checks (`manage.py check --deploy`): settings that work on a laptop but not on a server."""
from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

from .serving import per_process_cache_problem


@register(Tags.security, deploy=True)
def production_settings(app_configs=None, **kwargs) -> list[Error]:
    problems = []
    if settings.SITE_URL == settings.DEFAULT_SITE_URL.rstrip("/"):
        problems.append(Error(
            f"SITE_URL is still the development address {settings.DEFAULT_SITE_URL}: canonical links and "
            "link previews would point there.",
            hint="Set SITE_URL to the public address, such as https://smime.example.com.",
            id="operations.E001"))
    if not settings.ALLOWED_HOSTS:
        problems.append(Error(
            "ALLOWED_HOSTS is empty: every request would be refused with 400.",
            hint="Set ALLOWED_HOSTS to the host names the site answers to, comma-separated.",
            id="operations.E002"))
    if not settings.DEBUG:
        problem = per_process_cache_problem(settings.CACHES, settings.WEB_CONCURRENCY)
        if problem:
            problems.append(Error(problem, hint="See docs/deploy.md.", id="operations.E003"))
    return problems
