"""PKCS#7 / CMS SignedData: certificate bundles (.p7b/.p7c) and detached signatures (.p7s)."""

from __future__ import annotations

from cryptography.hazmat.primitives.serialization import pkcs7 as crypto_pkcs7

from .collector import Collector


def read_signed_data(collector: Collector, data: bytes, origin: str, *, depth: int = 0) -> None:
    """Take the certificates out of a SignedData bundle."""
    try:
        certificates = crypto_pkcs7.load_der_pkcs7_certificates(data)
    except ValueError:
        collector.unreadable(origin, "damaged PKCS#7 bundle", "its structure does not follow the PKCS#7 rules")
        return
    for certificate in certificates:
        collector.certificate(certificate, origin, "pkcs7")
