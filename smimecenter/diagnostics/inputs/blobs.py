"""Routing one decoded DER/BER blob to the reader of the structure it holds."""

from __future__ import annotations

from cryptography import x509

from ..parser_words import in_plain_words
from . import der, events, keys
from .collector import Collector
from .errors import PARSE_ERRORS

_DAMAGED = {
    der.PKCS7_SIGNED: "damaged PKCS#7 data",
    der.PFX: "damaged PKCS#12 file",
    der.SIGNED_OBJECT: "damaged certificate",
}


def read_der(
    collector: Collector, data: bytes, origin: str, container: str, *, depth: int = 0, kind: str | None = None
) -> None:
    """Read a blob whose outer shape tells what it is; container names how it reached us ("pem", "der")."""
    kind = kind or der.classify(data)
    try:
        _dispatch(collector, data, kind, origin, container, depth)
    except PARSE_ERRORS:
        collector.unreadable(origin, _DAMAGED.get(kind, "damaged data"),
                             "its structure breaks the rules of its format part way through")


def _dispatch(collector: Collector, data: bytes, kind: str, origin: str, container: str, depth: int) -> None:
    if kind == der.SIGNED_OBJECT:
        _read_signed_object(collector, data, origin, container)
    elif kind == der.PKCS7_SIGNED:
        from . import pkcs7  # imported here: pkcs7 and cms readers import this module too

        pkcs7.read_signed_data(collector, data, origin, depth=depth)
    elif kind in (der.PKCS7_ENVELOPED, der.PKCS7_ENCRYPTED):
        collector.unreadable(
            origin, "encrypted message",
            "it is encrypted for its recipients; only the recipient's private key can open it, "
            "and the certificates inside an encrypted message are not readable without it",
        )
    elif kind == der.PFX:
        from . import pkcs12

        pkcs12.read_pkcs12(collector, data, origin)
    elif kind in (
        der.PRIVATE_KEY_INFO, der.ENCRYPTED_PRIVATE_KEY_INFO, der.RSA_PRIVATE_KEY,
        der.EC_PRIVATE_KEY, der.DSA_PRIVATE_KEY,
    ):
        keys.report_private_key(collector, origin, data=data, kind=kind)
    elif kind == der.PUBLIC_KEY:
        collector.unreadable(origin, "public key without a certificate",
                             "a bare public key says nothing about whom it belongs to; a certificate is needed")
    elif kind == der.PKCS7_OTHER:
        collector.unreadable(origin, "PKCS#7 structure of a kind that holds no certificates")
    else:
        collector.unreadable(origin, "unknown binary data")


def _read_signed_object(collector: Collector, data: bytes, origin: str, container: str) -> None:
    if collector.certificates_full:
        collector.count_dropped_certificate()
        return
    try:
        certificate = der.load_certificate(data)
    except PARSE_ERRORS as problem:
        certificate_problem: str | None = str(problem)
    else:
        collector.certificate(certificate, origin, container)
        return
    try:
        request = x509.load_der_x509_csr(data)
        report_csr(collector, request, origin)
        return
    except PARSE_ERRORS:
        pass
    try:
        x509.load_der_x509_crl(data)
    except PARSE_ERRORS:
        pass
    else:
        collector.unreadable(origin, "certificate revocation list (CRL)",
                             "a CRL lists withdrawn certificates; it is not a certificate itself")
        return
    collector.unreadable(origin, "damaged certificate", _plain_reason(certificate_problem), certificate_problem)


def report_csr(collector: Collector, request: x509.CertificateSigningRequest, origin: str) -> None:
    emails: list[str] = []
    try:
        san = request.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        emails = [str(value) for value in san.get_values_for_type(x509.RFC822Name)]
    except x509.ExtensionNotFound:
        pass
    except PARSE_ERRORS:
        emails = []
    try:
        subject = request.subject.rfc4514_string()
    except PARSE_ERRORS:
        subject = ""
    collector.parsed.csrs.append(request)
    collector.event(events.INPUT_CSR_NOT_CERTIFICATE, origin=origin, subject=subject, emails=emails)


def _plain_reason(problem: str | None) -> str:
    base = "it has the outline of a certificate but its contents do not follow the X.509 rules"
    if problem:
        return f"{base}: {in_plain_words(problem)}"
    return base
