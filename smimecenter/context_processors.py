"""Values every template may use."""
from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {"SITE_NAME": "SMIME Center", "SITE_URL": settings.SITE_URL,
            # The check's privacy note says what leaves the server when online checks are on.
            "DIAGNOSE_ONLINE": settings.DIAGNOSE_ONLINE}
