"""PKCS#12 (.p12/.pfx): inspect the protection first, refuse costly files, then open with the password.

Private keys and passwords never leave this module: only the public half of a key is kept, and the
password is neither stored, logged nor put in any event.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12 as crypto_pkcs12

from ..public_keys import key_shape
from . import events
from .collector import Collector
from .errors import PARSE_ERRORS, certificate_problem
from .gnupg_pkcs12 import gnupg_refusal
from .model import Pkcs12Contents, Pkcs12Protection
from .pkcs12_structure import StructureError, read_structure



def read_pkcs12(collector: Collector, data: bytes, origin: str) -> None:
    try:
        structure = read_structure(data)
    except StructureError as problem:
        collector.unreadable(origin, "damaged PKCS#12 file", str(problem))
        return
    protection = structure.protection
    limit = collector.limits.max_pkcs12_iterations
    unopened = (collector, origin, structure.friendly_names, structure.local_key_ids, protection)
    if structure.mac_unbounded:
        collector.unreadable(origin, "PKCS#12 file",
                             "its integrity check is of a kind whose cost cannot be read, so it was not opened")
        _keep_unopened(*unopened)
        return
    if structure.unbounded_where is not None:
        collector.event(events.PKCS12_UNBOUNDED_KDF, origin=origin, where=structure.unbounded_where)
        _keep_unopened(*unopened)
        return
    if structure.largest_iterations > limit:
        collector.event(events.PKCS12_TOO_EXPENSIVE, origin=origin, iterations=structure.largest_iterations,
                        limit=limit, where=structure.largest_where)
        _keep_unopened(*unopened)
        return
    loaded = _open(collector, data, origin, structure.work_per_try)
    if loaded is None:
        _keep_unopened(*unopened)
        return
    loaded_certificates, public_key, cert_names, password = loaded
    gnupg = gnupg_refusal(password, protection)
    certificates = [c for c in loaded_certificates if collector.certificate(c, origin, "pkcs12")
                    or certificate_problem(c) is None]
    key_certificate = None
    if public_key is not None:
        key_certificate = next((c for c in certificates if _same_key(c, public_key)), None)
        if key_certificate is None:
            collector.event(
                events.PKCS12_KEY_MISMATCH, certificate=certificates[0] if certificates else None,
                origin=origin, key_type=public_key_type(public_key), certificates=len(certificates),
            )
    else:
        collector.event(events.PKCS12_NO_PRIVATE_KEY, origin=origin, certificates=len(certificates))
    names = tuple(dict.fromkeys(structure.friendly_names + cert_names))
    collector.parsed.pkcs12.append(Pkcs12Contents(
        origin=origin,
        certificates=tuple(certificates),
        key_public_keys=(public_key,) if public_key is not None else (),
        key_certificate=key_certificate,
        friendly_names=names,
        protection=protection,
        local_key_ids=structure.local_key_ids,
        gnupg_refusal=gnupg,
    ))


def _open(
    collector: Collector, data: bytes, origin: str, work_per_try: int
) -> tuple[list[x509.Certificate], PublicKeyTypes | None, tuple[str, ...], bytes] | None:
    """The public parts of the file and the password that opened it (b"" for none), or None."""
    given = collector.password
    if isinstance(given, str):
        # a command-line password that was not valid UTF-8 arrives with surrogate escapes: give back its bytes
        given = given.encode("utf-8", errors="surrogateescape")
    # Many files are made with an empty password, which PKCS#12 tools encode in two ways (RFC 7292 B.1);
    # a password typed for such a file must not be called wrong. Each attempt costs one set of key
    # derivations, charged to the request's budget before OpenSSL starts (a wrong password may cost only
    # the MAC, but charging everything is the bound that holds for any file).
    attempts: list[bytes | None] = [given, None, b""] if given else [None, b""]
    if work_per_try > 0 and not collector.hold_kdf_slot():
        collector.event(events.PKCS12_BUSY, origin=origin)
        return None
    for tried, attempt in enumerate(attempts):
        if not collector.spend_work(work_per_try):
            if tried == 0:
                collector.event(events.PKCS12_OVER_BUDGET, origin=origin, work=work_per_try,
                                left=collector.work_left, budget=collector.limits.max_kdf_work)
                return None
            break  # the given password was tried and failed: the empty-password fallbacks are a nicety
        try:
            bundle = crypto_pkcs12.load_pkcs12(data, attempt)
        except UnsupportedAlgorithm:
            collector.unreadable(origin, "PKCS#12 file", "it uses an encryption this tool cannot open")
            return None
        except (ValueError, TypeError):  # TypeError: cryptography's complaint about a non-UTF-8 password
            continue
        return (*_take_public_parts(bundle), attempt or b"")
    if given:
        collector.event(events.PKCS12_WRONG_PASSWORD, origin=origin, password_given=True)
    else:
        collector.event(events.PKCS12_PASSWORD_REQUIRED, origin=origin)
    return None


def _take_public_parts(
    bundle: crypto_pkcs12.PKCS12KeyAndCertificates,
) -> tuple[list[x509.Certificate], PublicKeyTypes | None, tuple[str, ...]]:
    """Keep certificates and the public half of the key; the private key goes out of scope here."""
    entries = ([bundle.cert] if bundle.cert is not None else []) + list(bundle.additional_certs)
    certificates = [entry.certificate for entry in entries]
    names = tuple(
        entry.friendly_name.decode("utf-8", errors="replace")[:200] for entry in entries if entry.friendly_name
    )
    key = bundle.key
    public_key = key.public_key() if key is not None else None
    del key, bundle
    return certificates, public_key, names


def _keep_unopened(
    collector: Collector, origin: str, names: tuple[str, ...], key_ids: tuple[str, ...],
    protection: Pkcs12Protection,
) -> None:
    """What the structure alone tells, for the report's PKCS#12 section."""
    collector.parsed.pkcs12.append(Pkcs12Contents(
        origin=origin, certificates=(), key_public_keys=(), key_certificate=None,
        friendly_names=names, protection=protection, local_key_ids=key_ids,
    ))


def _same_key(certificate: x509.Certificate, public_key: PublicKeyTypes) -> bool:
    try:
        return certificate.public_key() == public_key
    except PARSE_ERRORS:
        return False


def public_key_type(public_key: PublicKeyTypes) -> str:
    return key_shape(public_key).type