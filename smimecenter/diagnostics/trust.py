"""Trust anchors for email: Mozilla's embedded set and any anchors a person adds.

A mail client trusts a chain only if it ends at a root trusted for email protection, and Mozilla's set of those
differs from its TLS set. The embedded set is read from `data/` once per process, on first use, and indexed so
that the chain builder finds an issuer's candidates without scanning every root. Every store carries its
provenance (where the list came from, its version and date) because a report must say which list it judged by.
"""
from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import re
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.utils import CryptographyDeprecationWarning

from .certinfo import facts_of
from .decoding import DECODE_ERRORS, decoded
from .known_authorities import known_authorities

__all__ = ["Anchor", "TrustStore", "TrustStoreError", "email_trust_store", "DATA_DIRECTORY", "EMBEDDED_PEM",
           "EMBEDDED_PROVENANCE"]

DATA_DIRECTORY = Path(__file__).resolve().parent / "data"
EMBEDDED_PEM = DATA_DIRECTORY / "mozilla-email-roots.pem"
EMBEDDED_PROVENANCE = DATA_DIRECTORY / "mozilla-email-roots.json"
EMBEDDED_NAME = "Mozilla email roots"

_PEM_CERTIFICATE = re.compile(
    r"-----BEGIN (?P<kind>(?:TRUSTED |X509 )?CERTIFICATE)-----(?P<body>[A-Za-z0-9+/=\s]*?)-----END (?P=kind)-----"
)
# A line's quoting in an email reply ("> ", ">> ") or indentation, removed before looking for PEM blocks.
_QUOTING = re.compile(r"^[ \t]*(?:>[ \t]?)*", re.MULTILINE)
_LABELLED_PEM = re.compile(r"^# (?P<label>[^\n]*)\n(?P<pem>-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----)",
                           re.MULTILINE)


# Stores of supplied anchors kept between diagnoses (TrustStore.from_pem): at most this many,
# least recently used out first; each holds only CA certificates the process remembers anyway.
KEPT_STORES = 64
_KEPT_STORES: OrderedDict[tuple, TrustStore] = OrderedDict()
_KEPT_STORES_LOCK = threading.Lock()


class TrustStoreError(ValueError):
    """The anchors given could not be used; the message is fit to show a person."""


@dataclass(frozen=True)
class Anchor:
    """One trust anchor with what a report needs to name it."""

    certificate: x509.Certificate
    label: str
    is_ca: bool            # a person may choose a non-CA certificate as an anchor; the report can say so
    sha256: str            # hex fingerprint of the DER
    # Mozilla no longer trusts some roots for email certificates issued after this moment (certdata.txt's
    # CKA_NSS_EMAIL_DISTRUST_AFTER); None when there is no such limit or the source did not say.
    email_distrust_after: datetime | None = None

    @property
    def subject_der(self) -> bytes:
        return self.certificate.subject.public_bytes()


class TrustStore:
    """A set of anchors indexed by subject name (DER) and subject key identifier."""

    def __init__(self, anchors: Iterable[Anchor], *, name: str, provenance: Mapping[str, object] | None = None):
        self.name = name
        self._anchors: list[Anchor] = []
        self._by_subject: dict[bytes, list[Anchor]] = {}
        self._by_key_id: dict[bytes, list[Anchor]] = {}
        self._by_fingerprint: dict[str, Anchor] = {}
        self._anchor_keys: dict[str, bytes] = {}   # SubjectPublicKeyInfo DER, filled on first comparison
        for anchor in anchors:
            if anchor.sha256 in self._by_fingerprint:
                continue   # the same certificate twice adds nothing
            self._anchors.append(anchor)
            self._by_fingerprint[anchor.sha256] = anchor
            self._by_subject.setdefault(anchor.subject_der, []).append(anchor)
            key_id = _subject_key_identifier(anchor.certificate)
            if key_id is not None:
                self._by_key_id.setdefault(key_id, []).append(anchor)
        details = dict(provenance or {})
        details["roots"] = len(self._anchors)
        self.provenance: Mapping[str, object] = MappingProxyType(details)

    # -- the contract -------------------------------------------------------------------------------------
    def candidates(self, issuer: x509.Name | bytes, key_id: bytes | None) -> list[x509.Certificate]:
        """Anchors named `issuer`; with `key_id` (the child's AKI), those whose SKI matches or who have none.

        RFC 5280 section 4.2.1.1: the authority key identifier picks among several keys of one issuer name
        (a re-keyed root); an anchor without SKI cannot be ruled out that way, so it stays a candidate.
        """
        anchors = self._by_subject.get(issuer if isinstance(issuer, bytes) else issuer.public_bytes(), [])
        if key_id is None:
            return [anchor.certificate for anchor in anchors]
        return [anchor.certificate for anchor in anchors
                if _subject_key_identifier(anchor.certificate) in (key_id, None)]

    def contains(self, cert: x509.Certificate, *, subject_der: bytes | None = None) -> bool:
        """True when an anchor has the same subject and public key (a cross-signed or re-issued copy counts).

        `subject_der` is the certificate's encoded subject when the caller has it already.
        """
        return self.anchor_for(cert, subject_der=subject_der) is not None

    def __len__(self) -> int:
        return len(self._anchors)

    def __iter__(self) -> Iterator[x509.Certificate]:
        return (anchor.certificate for anchor in self._anchors)

    @classmethod
    def from_pem(cls, data: bytes, *, name: str, provenance: Mapping[str, object] | None = None) -> TrustStore:
        """Anchors from PEM blocks found anywhere in `data` (a mail, a ticket), or from one DER certificate.

        An organisation sends its root with every check: a store made only of CA certificates the
        process remembers (known_authorities) is kept for its bytes, name and provenance and
        handed out again, as the certificates in it are. A store holding anything else (a person's
        own certificate chosen as an anchor) is built afresh every time and never kept.
        """
        key = _store_key(data, name, provenance)
        kept = _KEPT_STORES.get(key) if key is not None else None
        # Kept only while every certificate in it still is: forgetting a CA forgets its stores.
        if kept is not None and all(known_authorities.is_known(c) for c in kept):
            with _KEPT_STORES_LOCK:
                if key in _KEPT_STORES:
                    _KEPT_STORES.move_to_end(key)
            return kept
        store = cls._read_pem(data, name=name, provenance=provenance)
        if key is not None and all(known_authorities.is_known(c) for c in store):
            with _KEPT_STORES_LOCK:
                _KEPT_STORES[key] = store
                while len(_KEPT_STORES) > KEPT_STORES:
                    _KEPT_STORES.popitem(last=False)
        return store

    @classmethod
    def _read_pem(cls, data: bytes, *, name: str, provenance: Mapping[str, object] | None) -> TrustStore:
        certificates = _certificates_in(data)
        if not certificates:
            raise TrustStoreError(f"No certificate was found in the trust anchors given for {name!r}.")
        anchors = [_anchor(certificate, _default_label(certificate)) for certificate in certificates]
        details: dict[str, object] = {"source": "certificates supplied as trust anchors"}
        details.update(provenance or {})
        details["not_ca"] = sum(1 for anchor in anchors if not anchor.is_ca)
        return cls(anchors, name=name, provenance=details)

    # -- helpers the chain builder and the report may use -------------------------------------------------
    def anchors(self) -> tuple[Anchor, ...]:
        return tuple(self._anchors)

    def anchor_for(self, cert: x509.Certificate, *, subject_der: bytes | None = None) -> Anchor | None:
        """The anchor with the same subject and public key as `cert`, if any."""
        same_subject = self._by_subject.get(subject_der or cert.subject.public_bytes(), [])
        if not same_subject:
            return None
        key = _public_key_der(cert)
        for anchor in same_subject:
            anchor_key = self._anchor_keys.get(anchor.sha256)
            if anchor_key is None:
                anchor_key = self._anchor_keys[anchor.sha256] = _public_key_der(anchor.certificate)
            if anchor_key == key:
                return anchor
        return None

    def by_key_identifier(self, key_id: bytes) -> list[x509.Certificate]:
        """Anchors whose SKI is `key_id`, whatever their name (to explain a name mismatch)."""
        return [anchor.certificate for anchor in self._by_key_id.get(key_id, [])]

    def __repr__(self) -> str:
        return f"<TrustStore {self.name!r}: {len(self)} anchors>"


@functools.cache
def email_trust_store() -> TrustStore:
    """The embedded Mozilla email roots, read on first use and then shared by the whole process."""
    return load_embedded_store(EMBEDDED_PEM, EMBEDDED_PROVENANCE)


def load_embedded_store(pem_path: Path, provenance_path: Path) -> TrustStore:
    """Read a store written by `manage.py build_trust_store`: labelled PEM blocks plus a JSON provenance."""
    text = pem_path.read_text(encoding="utf-8")
    details = json.loads(provenance_path.read_text(encoding="utf-8"))
    distrust = {entry["sha256"]: datetime.fromisoformat(entry["email_distrust_after"])
                for entry in details.get("certificates", []) if entry.get("email_distrust_after")}
    anchors = []
    for match in _LABELLED_PEM.finditer(text):
        anchor = _anchor(_load_pem(match["pem"].encode("ascii")), match["label"].strip())
        if anchor.sha256 in distrust:
            anchor = replace(anchor, email_distrust_after=distrust[anchor.sha256])
        anchors.append(anchor)
    provenance = {key: details.get(key) for key in ("source", "version", "date", "built")}
    return TrustStore(anchors, name=EMBEDDED_NAME, provenance=provenance)


def _store_key(data: bytes, name: str, provenance: Mapping[str, object] | None) -> tuple | None:
    """What a kept store is found by: the SHA-256 of its bytes (a large bundle is not kept twice
    over), its name and provenance; None when the provenance holds something unhashable."""
    try:
        details = tuple(sorted((provenance or {}).items()))
        hash(details)
    except TypeError:
        return None
    return hashlib.sha256(data).digest(), name, details


def _anchor(certificate: x509.Certificate, label: str) -> Anchor:
    return Anchor(certificate=certificate, label=label, is_ca=_is_ca(certificate),
                  sha256=hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest())


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        return bool(certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        # RFC 5280 section 6.1.4 (k): a version 1 or 2 certificate may act as a CA when that is known out of
        # band, which is what choosing it as an anchor means; a self-issued one is taken as a root.
        return certificate.version is x509.Version.v1 and certificate.issuer == certificate.subject
    except DECODE_ERRORS:
        # One malformed extension: the facts read the others one by one (certinfo.py).
        constraints = facts_of(certificate).basic_constraints
        return bool(constraints is not None and constraints.ca)


def _subject_key_identifier(certificate: x509.Certificate) -> bytes | None:
    try:
        return certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.key_identifier
    except x509.ExtensionNotFound:
        return None
    except DECODE_ERRORS:
        return None


def _public_key_der(certificate: x509.Certificate) -> bytes:
    return certificate.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def _default_label(certificate: x509.Certificate) -> str:
    subject = decoded(lambda: certificate.subject, default=x509.Name([]), what="its subject")
    for oid in (x509.NameOID.COMMON_NAME, x509.NameOID.ORGANIZATIONAL_UNIT_NAME, x509.NameOID.ORGANIZATION_NAME):
        values = subject.get_attributes_for_oid(oid)
        if values:
            return str(values[0].value)
    return decoded(subject.rfc4514_string, default="", what="its subject") or "certificate without a subject name"


def _load_pem(data: bytes) -> x509.Certificate:
    # A few long-standing Mozilla roots have serial number 0, which cryptography loads with a deprecation
    # warning; the warning means nothing to the person reading a report.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return _parsed(x509.load_pem_x509_certificate(data))


def _load_der(data: bytes) -> x509.Certificate:
    # A root read before (a private root sent with every request) is the object kept for its bytes,
    # with its facts, parsed form and validator anchor: the same for every request (known_authorities).
    known = known_authorities.certificate(data)
    if known is not None:
        return known
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return _parsed(x509.load_der_x509_certificate(data))


def _parsed(certificate: x509.Certificate) -> x509.Certificate:
    """Parse the extensions now, so a warning they raise falls inside the caller's filter, once."""
    # A malformed extension (even one cryptography refuses with TypeError, such as an iPAddress
    # constraint without a mask) is for the chain checks to report, not a reason to drop the anchor.
    decoded(lambda: certificate.extensions, default=None, what="its extensions")
    return certificate


def _certificates_in(data: bytes) -> list[x509.Certificate]:
    text = data.decode("latin-1")
    found: list[x509.Certificate] = []
    if "-----BEGIN" in text:
        unquoted = _QUOTING.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
        for match in _PEM_CERTIFICATE.finditer(unquoted):
            try:
                der = base64.b64decode("".join(match["body"].split()), validate=True)
            except (binascii.Error, ValueError):
                continue
            if match["kind"] == "TRUSTED CERTIFICATE":
                der = _first_der_element(der)   # OpenSSL appends its own trust settings after the certificate
            try:
                found.append(_load_der(der))
            except ValueError:
                continue
        return found
    if data[:1] == b"\x30":
        try:
            return [_load_der(_first_der_element(data))]
        except ValueError:
            return []
    return found


def _first_der_element(data: bytes) -> bytes:
    """The first DER TLV of `data` (ITU-T X.690 section 8.1): drops anything appended after a certificate."""
    if len(data) < 2:
        return data
    length = data[1]
    if length < 0x80:
        return data[: 2 + length]
    count = length & 0x7F
    if count == 0 or count > 4 or len(data) < 2 + count:
        return data
    return data[: 2 + count + int.from_bytes(data[2: 2 + count], "big")]
