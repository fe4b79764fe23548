"""The "online" part of a report: what was fetched and asked, or what was not checked offline."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import serialization

if TYPE_CHECKING:
    from ..checks.context import CheckContext

__all__ = ["NOT_CHECKED_OFFLINE", "PRIVACY", "add_fetched_details", "online_section"]

NOT_CHECKED_OFFLINE = ("Online checks were off, so two things were not checked: whether any certificate was "
                       "revoked (no OCSP or CRL was asked), and whether a missing intermediate could be "
                       "downloaded from the address its certificate names.")
PRIVACY = ("Checking revocation tells the certificate authority's OCSP responder which certificate was "
           "checked (its serial number and issuer); fetching a CRL or an intermediate tells the CA's server "
           "only that someone downloaded it. Nothing else you supplied leaves this server.")


STATUS_WORDS = {"good": "not revoked", "revoked": "revoked", "unknown": "unknown to the responder",
                "unreachable": "no usable answer", "stale": "answer out of date",
                "bad_signature": "answer not trustworthy"}


def online_section(context: CheckContext) -> dict[str, object]:
    online = context.online
    if online is None:
        return {"enabled": False, "not_checked": NOT_CHECKED_OFFLINE}
    return {
        "enabled": True,
        "privacy": PRIVACY,
        "requests_made": online.requests_made,
        "fetched": [{"sha256": context.facts(item.certificate).sha256, "url": item.url,
                     "name": context.facts(item.certificate).label,
                     "issued": context.facts(item.child).sha256} for item in online.fetched],
        "fetch_failures": [{"url": url, "reason": reason} for url, reason in online.fetch_failures],
        "revocation": [{"sha256": context.facts(a.certificate).sha256, "name": context.facts(a.certificate).label,
                        "status": a.status,
                        "words": STATUS_WORDS[a.status], "source": a.source,
                        "url": a.url, "detail": a.detail or None, "answered_at": a.answered_at,
                        "next_update": a.next_update, "revoked_at": a.revoked_at, "reason": a.reason,
                        "from_cache": a.from_cache} for a in online.revocation],
    }


def add_fetched_details(context: CheckContext, certificates: Sequence[x509.Certificate],
                        described: list[dict[str, object]]) -> list[dict[str, object]]:
    """A fetched certificate carries where it came from and its PEM (the person never had it)."""
    online = context.online
    if online is None or not online.fetched:
        return described
    origin: Mapping[x509.Certificate, str] = {item.certificate: item.url for item in online.fetched}
    for certificate, entry in zip(certificates, described):
        if certificate in origin:
            entry["fetched_from"] = origin[certificate]
            entry["pem"] = certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
    return described
