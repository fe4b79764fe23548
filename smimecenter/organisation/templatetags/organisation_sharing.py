"""What the "share this result" offer needs from the diagnose result page's context."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django import template

from smimecenter.organisation.sharing import certificates_in_pem_text, offer_token

register = template.Library()


@register.simple_tag
def shareable_certificates(cards: Iterable[Mapping] | None = None,
                           report: Mapping | None = None) -> list[dict[str, str]]:
    """Certificates of the result whose PEM is known: the page's certificate cards first, else the report's.

    Each entry: name (for the person), sha256 (to compare with what they see), pem (what is posted).
    Only certificates are ever listed: nothing from the input that was not a certificate reaches here.
    """
    found: dict[str, dict[str, str]] = {}
    for card in cards or ():
        data = card.get("data") or {}
        fingerprint, pem = data.get("sha256") or card.get("sha256"), card.get("pem")
        if fingerprint and pem and fingerprint not in found:
            found[fingerprint] = {"name": str(card.get("name") or data.get("subject") or fingerprint),
                                  "sha256": fingerprint, "pem": str(pem)}
    if not found and isinstance(report, Mapping):
        for certificate in report.get("certificates") or ():
            fingerprint, pem = certificate.get("sha256"), certificate.get("pem")
            if fingerprint and pem and fingerprint not in found:
                found[fingerprint] = {"name": str(certificate.get("common_name") or certificate.get("subject")
                                                  or fingerprint), "sha256": fingerprint, "pem": str(pem)}
    return list(found.values())


@register.filter
def pem_bundle(entries: Iterable[Mapping]) -> str:
    return "".join(entry["pem"] if entry["pem"].endswith("\n") else entry["pem"] + "\n" for entry in entries)


@register.simple_tag
def share_offer(entries: Iterable[Mapping], email: str | None = None, report: Mapping | None = None) -> str:
    """The signed offer posted to /share/: these certificates, this address, this report's check time."""
    certificates = certificates_in_pem_text(pem_bundle(entries))
    checked_at = report.get("checked_at") if isinstance(report, Mapping) else getattr(report, "checked_at", None)
    return offer_token(certificates, email or None, checked_at if isinstance(checked_at, (str, dt.datetime)) else None)
