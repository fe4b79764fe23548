"""The site's online checks: the fetch policy from settings and Django's cache as the response cache."""
from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from smimecenter.diagnostics.online.fetch import FetchPolicy, parse_allow_list
from smimecenter.diagnostics.online.session import OnlineChecks

__all__ = ["OnlineNotAllowed", "online_checks_for", "site_online_checks"]


class OnlineNotAllowed(ValueError):
    """Someone asked for online checks on a site where the administrator has not turned them on."""


class DjangoResponseCache:
    """The engine's ResponseCache over Django's default cache (shared when Redis/Memcached is configured).

    Keys are hashed: URLs can be longer than memcached accepts and may hold characters it refuses.
    """

    def get(self, key: str) -> object:
        return cache.get(self._key(key))

    def set(self, key: str, value: object, timeout: float | None = None) -> None:
        cache.set(self._key(key), value, timeout)

    @staticmethod
    def _key(key: str) -> str:
        return "online-response:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


@functools.cache
def _policy(allow: tuple[str, ...]) -> FetchPolicy:
    try:
        return FetchPolicy(allow=parse_allow_list(allow))
    except ValueError as problem:
        raise ImproperlyConfigured(f"DIAGNOSE_ONLINE_ALLOW: {problem}") from None


def site_online_checks() -> OnlineChecks:
    return OnlineChecks(policy=_policy(tuple(settings.DIAGNOSE_ONLINE_ALLOW)), cache=DjangoResponseCache())


def online_checks_for(asked: bool | None) -> OnlineChecks | None:
    """Online checks for one request: `asked` None follows DIAGNOSE_ONLINE; True needs it on."""
    if asked is None:
        asked = settings.DIAGNOSE_ONLINE
    elif asked and not settings.DIAGNOSE_ONLINE:
        raise OnlineNotAllowed("online: online checks are turned off on this site "
                               "(the administrator sets DIAGNOSE_ONLINE).")
    return site_online_checks() if asked else None
