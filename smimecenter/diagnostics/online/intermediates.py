"""Missing intermediates fetched from the AIA caIssuers address, as mail apps on Windows do.

RFC 5280 section 4.2.2.1: the caIssuers access method points at the issuer's certificate, served
over HTTP as one DER certificate ("application/pkix-cert") or a certs-only CMS bundle
("application/pkcs7-mime"). We follow the addresses from the certificate upwards until an issuer
is a trust anchor or was supplied, or the depth limit is reached, and keep only a certificate
whose subject is the issuer name asked for and whose key verifies the child's signature.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs7

from ..certinfo import CertificateFacts
from ..chains import TrustStoreLike, verify_signature
from .fetch import CERTIFICATE_LIMIT, FetchError, Fetcher

__all__ = ["FetchedCertificate", "IntermediateSearch", "fetch_missing_intermediates"]

MAX_FETCH_DEPTH = 4  # intermediates fetched one above the other; real email chains have one or two


@dataclass(frozen=True)
class FetchedCertificate:
    certificate: x509.Certificate
    url: str  # the caIssuers address it came from
    child: x509.Certificate  # the certificate whose issuer it is


@dataclass(frozen=True)
class IntermediateSearch:
    fetched: tuple[FetchedCertificate, ...] = ()
    failures: tuple[tuple[str, str], ...] = ()  # (address, what went wrong), plain words


def fetch_missing_intermediates(start: x509.Certificate | None, supplied: Sequence[x509.Certificate],
                                stores: Sequence[TrustStoreLike],
                                facts: Callable[[x509.Certificate], CertificateFacts],
                                fetcher: Fetcher, *, max_depth: int = MAX_FETCH_DEPTH) -> IntermediateSearch:
    """The issuers of `start` (and of theirs) that nobody supplied, fetched from caIssuers."""
    fetched: list[FetchedCertificate] = []
    failures: list[tuple[str, str]] = []
    known = list(supplied)
    current = start
    for _ in range(max_depth + len(supplied) + 1):
        if current is None or facts(current).self_issued:
            break
        info = facts(current)
        if any(store.candidates(info.issuer_der, info.authority_key_id) for store in stores):
            break  # the issuer is a trust anchor
        present = [c for c in known if facts(c).subject_der == info.issuer_der and c is not current]
        if present:
            current = present[0]
            continue
        if len(fetched) >= max_depth:
            break
        issuer = _fetch_issuer(current, info, facts, fetcher, failures)
        if issuer is None:
            break
        fetched.append(issuer)
        known.append(issuer.certificate)
        current = issuer.certificate
    return IntermediateSearch(fetched=tuple(fetched), failures=tuple(failures))


def _fetch_issuer(child: x509.Certificate, info: CertificateFacts,
                  facts: Callable[[x509.Certificate], CertificateFacts], fetcher: Fetcher,
                  failures: list[tuple[str, str]]) -> FetchedCertificate | None:
    for url in info.ca_issuers_urls:
        try:
            response = fetcher.get(url, CERTIFICATE_LIMIT)
        except FetchError as problem:
            failures.append((url, str(problem)))
            continue
        certificates = _certificates_in(response.body)
        if not certificates:
            failures.append((url, "the address did not serve a certificate"))
            continue
        for candidate in certificates:
            try:
                matches = facts(candidate).subject_der == info.issuer_der
            except Exception:  # a certificate whose name cannot be decoded is no issuer
                continue
            if matches and verify_signature(child, candidate) is None:
                fetcher.remember(response, None)
                return FetchedCertificate(certificate=candidate, url=url, child=child)
        failures.append((url, "the certificate served there did not issue this one"))
    return None


def _certificates_in(body: bytes) -> list[x509.Certificate]:
    """A DER certificate, a DER certs-only PKCS#7 bundle, or either in PEM form."""
    loaders = (lambda data: [x509.load_der_x509_certificate(data)],
               pkcs7.load_der_pkcs7_certificates,
               x509.load_pem_x509_certificates,
               pkcs7.load_pem_pkcs7_certificates)
    for load in loaders:
        try:
            return list(load(body))
        except Exception:  # each loader refuses the other forms; garbage is refused by all
            continue
    return []
