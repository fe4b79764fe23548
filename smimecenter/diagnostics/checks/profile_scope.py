"""Which certificates the RFC 5280 profile rules (section 4) are checked on.

The profile binds the CA that issues a certificate. Every certificate of the path and of the
input is checked once, except a root of the public store: a root program accepted it as it is,
mail clients trust it as trust anchor information (RFC 5280 section 6.1.1 (d)), and nobody who
uses it can have it reissued. A private root the person supplied is checked: its CA can fix it.
"""
from __future__ import annotations

from collections.abc import Iterator

from cryptography import x509

from ..certinfo import CertificateFacts
from .context import CheckContext

__all__ = ["profiled_certificates"]


def profiled_certificates(context: CheckContext
                          ) -> tuple[tuple[x509.Certificate, CertificateFacts], ...]:
    """Each certificate to check against the profile once, with its facts; worked out once per
    diagnosis, as several checks ask (comparing certificates means hashing their bytes)."""
    kept = context.computed.get("profiled_certificates")
    if kept is None:
        kept = context.computed["profiled_certificates"] = tuple(_profiled(context))
    return kept  # type: ignore[return-value]


def _profiled(context: CheckContext) -> Iterator[tuple[x509.Certificate, CertificateFacts]]:
    public = context.public_store
    for certificate in dict.fromkeys((*context.path, *context.supplied)):
        info = context.facts(certificate)
        if (public is not None and info.self_issued
                and public.contains(certificate, subject_der=info.subject_der)):
            continue
        yield certificate, info
