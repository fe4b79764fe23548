"""Is each certificate of the path revoked? OCSP first (RFC 6960), the CRL when OCSP gives no answer (RFC 5280).

Every answer is checked before it is believed: an OCSP response must be signed by the CA itself or by
a responder the CA authorised (RFC 6960 section 4.2.2.2), must be about this certificate, must echo our
nonce when it carries one (RFC 8954), and must be current (RFC 6960 section 4.2.2.1); a CRL must be
issued and signed by the CA and be current (RFC 5280 section 6.3.3). An answer that fails a check is
reported as such, never as "good".
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from asn1crypto import keys
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID

from ..certinfo import CertificateFacts
from ..chains import verify_signature
from .fetch import CRL_LIMIT, OCSP_LIMIT, FetchError, Fetcher

__all__ = ["RevocationAnswer", "check_revocation"]

GOOD, REVOKED, UNKNOWN = "good", "revoked", "unknown"
UNREACHABLE, STALE, BAD_SIGNATURE = "unreachable", "stale", "bad_signature"
_DEFINITE = (GOOD, REVOKED)
_PROBLEM_ORDER = (BAD_SIGNATURE, STALE, UNKNOWN, UNREACHABLE)  # which failed answer to report first

CLOCK_SKEW = dt.timedelta(minutes=5)  # tolerance for the responder's clock
# An OCSP answer without nextUpdate is taken as current for this long (S/MIME BR section 4.9.10:
# responses are valid for at most ten days).
MAX_ANSWER_AGE = dt.timedelta(days=10)


@dataclass(frozen=True)
class RevocationAnswer:
    certificate: x509.Certificate
    status: str  # good, revoked, unknown, unreachable, stale, bad_signature
    source: str  # "OCSP" or "CRL"
    url: str
    detail: str = ""  # for problems: what went wrong, plain words
    answered_at: dt.datetime | None = None  # OCSP producedAt, CRL thisUpdate
    next_update: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    reason: str | None = None
    from_cache: bool = False


def check_revocation(path: Sequence[x509.Certificate], anchor: x509.Certificate | None,
                     facts: Callable[[x509.Certificate], CertificateFacts], fetcher: Fetcher,
                     at: dt.datetime) -> list[RevocationAnswer]:
    """One answer per certificate of `path` (leaf first) that has an issuer in it and says where to ask."""
    answers = []
    for certificate, issuer in zip(path, path[1:]):
        if certificate is anchor:
            break
        try:
            answer = _status_of(certificate, issuer, facts, fetcher, at)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            # A certificate or key the OCSP request cannot be built for (an unusual key type or
            # a name that does not decode): that certificate goes unanswered, the others do not.
            continue
        if answer is not None:
            answers.append(answer)
    return answers


def _status_of(certificate: x509.Certificate, issuer: x509.Certificate,
               facts: Callable[[x509.Certificate], CertificateFacts], fetcher: Fetcher,
               at: dt.datetime) -> RevocationAnswer | None:
    info = facts(certificate)
    failed: list[RevocationAnswer] = []
    for url in info.ocsp_urls:
        answer = _ask_ocsp(certificate, issuer, url, fetcher, at)
        if answer.status in _DEFINITE:
            return answer
        failed.append(answer)
    # RFC 5280 section 6.3: the CRL when OCSP is absent or gave no usable answer.
    for url in info.crl_urls:
        answer = _read_crl(certificate, issuer, url, fetcher, at)
        if answer.status in _DEFINITE:
            return answer
        failed.append(answer)
    if not failed:
        return None
    return min(failed, key=lambda a: _PROBLEM_ORDER.index(a.status))


# --- OCSP ----------------------------------------------------------------------------------------

def _ask_ocsp(certificate: x509.Certificate, issuer: x509.Certificate, url: str, fetcher: Fetcher,
              at: dt.datetime) -> RevocationAnswer:
    def problem(status: str, detail: str, **more: object) -> RevocationAnswer:
        return RevocationAnswer(certificate, status, "OCSP", url, detail, **more)

    nonce = os.urandom(16)
    request = (ocsp.OCSPRequestBuilder().add_certificate(certificate, issuer, hashes.SHA1())
               .add_extension(x509.OCSPNonce(nonce), critical=False).build())
    # Cached by responder and certificate (the nonce differs per request, the answer does not).
    key = f"ocsp:{url}:{_issuer_key_hash(issuer)}:{certificate.serial_number:x}"
    try:
        fetched = fetcher.get(url, OCSP_LIMIT, body=request.public_bytes(serialization.Encoding.DER),
                              content_type="application/ocsp-request", cache_key=key)
    except FetchError as error:
        return problem(UNREACHABLE, str(error))
    try:
        response = ocsp.load_der_ocsp_response(fetched.body)
    except ValueError:
        return problem(UNREACHABLE, "the responder's answer is not an OCSP response")
    if response.response_status is not ocsp.OCSPResponseStatus.SUCCESSFUL:
        return problem(UNREACHABLE, f"the responder answered \u201c{response.response_status.name}\u201d")
    try:
        single = _single_response(response, certificate, issuer)
        produced = response.produced_at_utc
    except ValueError:
        return problem(UNREACHABLE, "the responder's answer could not be read")
    if single is None:
        return problem(UNREACHABLE, "the responder's answer is about another certificate")
    signer_problem = _ocsp_signer_problem(response, issuer, at)
    if signer_problem:
        return problem(BAD_SIGNATURE, signer_problem, answered_at=produced)
    if not fetched.from_cache:
        echoed = _nonce_of(response)
        if echoed is not None and echoed != nonce:  # RFC 8954 section 2.1: a replayed answer
            return problem(BAD_SIGNATURE, "the answer was not made for our request (its nonce differs)",
                           answered_at=produced)
    this_update, next_update = single.this_update_utc, single.next_update_utc
    stale = _staleness(this_update, next_update, at)
    if stale:
        return problem(STALE, stale, answered_at=produced, next_update=next_update)
    if not fetched.from_cache:
        lifetime = (next_update - at).total_seconds() if next_update else None
        fetcher.remember(fetched, lifetime, cache_key=key)
    status = single.certificate_status
    common = {"answered_at": produced, "next_update": next_update, "from_cache": fetched.from_cache}
    if status is ocsp.OCSPCertStatus.REVOKED:
        return RevocationAnswer(certificate, REVOKED, "OCSP", url, revoked_at=single.revocation_time_utc,
                                reason=_reason_words(single.revocation_reason), **common)
    if status is ocsp.OCSPCertStatus.UNKNOWN:
        return RevocationAnswer(certificate, UNKNOWN, "OCSP", url,
                                detail="the responder does not know this certificate", **common)
    return RevocationAnswer(certificate, GOOD, "OCSP", url, **common)


def _single_response(response: ocsp.OCSPResponse, certificate: x509.Certificate,
                     issuer: x509.Certificate):
    wanted_key = bytes.fromhex(_issuer_key_hash(issuer))
    for single in response.responses:
        if single.serial_number != certificate.serial_number:
            continue
        if isinstance(single.hash_algorithm, hashes.SHA1) and single.issuer_key_hash != wanted_key:
            continue
        return single
    return None


def _ocsp_signer_problem(response: ocsp.OCSPResponse, issuer: x509.Certificate, at: dt.datetime) -> str | None:
    """None when the response is signed by the CA or by a responder it authorised (RFC 6960 4.2.2.2)."""
    if _is_responder(issuer, response):
        signer = issuer
    else:
        signer = next((c for c in response.certificates if _is_responder(c, response)), None)
        if signer is None:
            return "the answer is signed by a responder we cannot identify"
        if signer.issuer != issuer.subject or verify_signature(signer, issuer) is not None:
            return "the answer is signed by a responder the certificate authority did not authorise"
        try:
            usages = signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except x509.ExtensionNotFound:
            usages = ()
        if ExtendedKeyUsageOID.OCSP_SIGNING not in usages:
            return ("the answer is signed by a certificate that is not an OCSP responder "
                    "(no id-kp-OCSPSigning)")
        if not signer.not_valid_before_utc - CLOCK_SKEW <= at <= signer.not_valid_after_utc + CLOCK_SKEW:
            return "the responder's certificate is outside its validity period"
    if not _signature_valid(signer.public_key(), response.signature, response.tbs_response_bytes,
                            response.signature_hash_algorithm):
        return "the answer's signature does not match the responder's key"
    return None


def _is_responder(certificate: x509.Certificate, response: ocsp.OCSPResponse) -> bool:
    """RFC 6960 section 4.2.2.3: the responder is named by its subject or by the hash of its key."""
    if response.responder_name is not None:
        return certificate.subject == response.responder_name
    return bytes.fromhex(_key_hash(certificate)) == response.responder_key_hash


def _nonce_of(response: ocsp.OCSPResponse) -> bytes | None:
    try:
        return response.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
    except x509.ExtensionNotFound:
        return None


# --- CRL -----------------------------------------------------------------------------------------

def _read_crl(certificate: x509.Certificate, issuer: x509.Certificate, url: str, fetcher: Fetcher,
              at: dt.datetime) -> RevocationAnswer:
    def problem(status: str, detail: str, **more: object) -> RevocationAnswer:
        return RevocationAnswer(certificate, status, "CRL", url, detail, **more)

    loaded = _load_crl(url, issuer, fetcher, at)
    if isinstance(loaded[0], str):
        return problem(*loaded)
    crl, from_cache = loaded
    answered = crl.last_update_utc
    entry = crl.get_revoked_certificate_by_serial_number(certificate.serial_number)
    delta_problem = None
    delta = _delta_crl(crl, issuer, fetcher, at)
    if isinstance(delta, tuple):
        delta_problem = delta
    elif delta is not None:
        delta_entry = delta.get_revoked_certificate_by_serial_number(certificate.serial_number)
        if delta_entry is not None:
            # RFC 5280 section 5.2.4: removeFromCRL in a delta lifts a hold listed in the base CRL.
            entry = None if _reason_of(delta_entry) == x509.ReasonFlags.remove_from_crl else delta_entry
        answered = delta.last_update_utc
    common = {"answered_at": answered, "next_update": crl.next_update_utc, "from_cache": from_cache}
    if entry is not None:
        return RevocationAnswer(certificate, REVOKED, "CRL", url, revoked_at=entry.revocation_date_utc,
                                reason=_reason_words(_reason_of(entry)), **common)
    if delta_problem is not None:
        return problem(delta_problem[0], "its delta CRL: " + delta_problem[1], answered_at=answered)
    return RevocationAnswer(certificate, GOOD, "CRL", url, **common)


def _load_crl(url: str, issuer: x509.Certificate, fetcher: Fetcher, at: dt.datetime):
    """(crl, from_cache), or (status, detail) when the list cannot be used."""
    try:
        fetched = fetcher.get(url, CRL_LIMIT)
    except FetchError as error:
        return UNREACHABLE, str(error)
    try:
        crl = (x509.load_pem_x509_crl(fetched.body) if fetched.body.lstrip().startswith(b"-----")
               else x509.load_der_x509_crl(fetched.body))
        crl.issuer, crl.last_update_utc, crl.next_update_utc  # noqa: B018 (decoded lazily)
    except ValueError:
        return UNREACHABLE, "the address did not serve a readable CRL"
    # RFC 5280 section 6.3.3 (f), (g): issued by the certificate's issuer and signed with its key.
    if crl.issuer != issuer.subject:
        return BAD_SIGNATURE, "the list was issued by another authority"
    try:
        valid = crl.is_signature_valid(issuer.public_key())
    except (TypeError, ValueError, UnsupportedAlgorithm):
        valid = False
    if not valid:
        return BAD_SIGNATURE, "the list's signature does not match the certificate authority's key"
    stale = _staleness(crl.last_update_utc, crl.next_update_utc, at)
    if stale:
        return STALE, stale
    if not fetched.from_cache:
        lifetime = (crl.next_update_utc - at).total_seconds() if crl.next_update_utc else None
        fetcher.remember(fetched, lifetime)
    return crl, fetched.from_cache


def _delta_crl(crl: x509.CertificateRevocationList, issuer: x509.Certificate, fetcher: Fetcher,
               at: dt.datetime):
    """The delta CRL the base names in its Freshest CRL extension (RFC 5280 section 5.2.6), if any."""
    try:
        freshest = crl.extensions.get_extension_for_class(x509.FreshestCRL).value
    except (x509.ExtensionNotFound, ValueError):
        return None
    urls = [name.value for point in freshest for name in (point.full_name or ())
            if isinstance(name, x509.UniformResourceIdentifier)]
    for url in urls:
        loaded = _load_crl(url, issuer, fetcher, at)
        if isinstance(loaded[0], str):
            return loaded
        delta = loaded[0]
        try:
            base_number = crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
            indicator = delta.extensions.get_extension_for_class(x509.DeltaCRLIndicator).value.crl_number
        except (x509.ExtensionNotFound, ValueError):
            return UNREACHABLE, "it is not a delta CRL for this list"
        if indicator > base_number:  # RFC 5280 section 5.2.4: the delta needs a base at least this new
            return STALE, "the base CRL is older than its delta requires"
        return delta
    return None


def _reason_of(entry: x509.RevokedCertificate) -> x509.ReasonFlags | None:
    try:
        return entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
    except (x509.ExtensionNotFound, ValueError):
        return None


# --- shared --------------------------------------------------------------------------------------

def _staleness(this_update: dt.datetime, next_update: dt.datetime | None, at: dt.datetime) -> str | None:
    """Why an answer is not current (RFC 6960 section 4.2.2.1, RFC 5280 section 6.3.3 (a)), or None."""
    if this_update - CLOCK_SKEW > at:
        return "the answer is dated in the future"
    if next_update is not None and next_update + CLOCK_SKEW < at:
        return f"the answer expired on {next_update:%Y-%m-%d %H:%M} UTC"
    if next_update is None and at - this_update > MAX_ANSWER_AGE:
        return f"the answer dates from {this_update:%Y-%m-%d} and gives no next update"
    return None


_REASONS = {
    "unspecified": "no reason given", "key_compromise": "the private key was compromised",
    "ca_compromise": "the certificate authority was compromised", "affiliation_changed": "the holder's "
    "affiliation changed", "superseded": "it was replaced by another certificate",
    "cessation_of_operation": "it is no longer needed", "certificate_hold": "it is on hold",
    "privilege_withdrawn": "the privilege was withdrawn", "aa_compromise": "the attribute authority was compromised",
    "remove_from_crl": "removed from the list",
}


def _reason_words(reason: x509.ReasonFlags | None) -> str:
    return _REASONS.get(reason.name, reason.name) if reason is not None else "no reason given"


@functools.lru_cache(maxsize=1024)  # CA certificates recur in every diagnosis under them
def _key_hash(certificate: x509.Certificate) -> str:
    """SHA-1 of the subject public key bits, the key hash of RFC 6960 section 4.1.1 and 4.2.1."""
    spki = certificate.public_key().public_bytes(serialization.Encoding.DER,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha1(_subject_public_key_bits(spki)).hexdigest()  # noqa: S324 (the RFC's hash)


def _issuer_key_hash(issuer: x509.Certificate) -> str:
    return _key_hash(issuer)


def _subject_public_key_bits(spki: bytes) -> bytes:
    """The BIT STRING contents of a SubjectPublicKeyInfo (skip the algorithm and the unused-bits byte)."""
    return keys.PublicKeyInfo.load(spki)["public_key"].contents[1:]


def _signature_valid(key: object, signature: bytes, data: bytes,
                     algorithm: hashes.HashAlgorithm | None) -> bool:
    try:
        if isinstance(key, rsa.RSAPublicKey) and algorithm is not None:
            key.verify(signature, data, padding.PKCS1v15(), algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey) and algorithm is not None:
            key.verify(signature, data, ec.ECDSA(algorithm))
        elif isinstance(key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
            key.verify(signature, data)
        else:
            return False
        return True
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError):
        return False
