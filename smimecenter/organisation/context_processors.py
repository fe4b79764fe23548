"""The organisation's branding for every template, read only when a template uses it."""
from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from smimecenter.organisation.branding import current_branding


def organisation(request: HttpRequest) -> dict[str, object]:
    return {
        "organisation_branding": SimpleLazyObject(current_branding),
        "share_lifetime_days": settings.SHARE_LIFETIME_DAYS,
    }
