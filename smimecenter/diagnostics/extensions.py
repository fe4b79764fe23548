"""Reading a certificate's extensions one at a time, when cryptography refuses the whole list.

cryptography decodes every extension of a certificate together and refuses all of them when one
is malformed. To keep the others (name constraints above all), the certificate is split with
asn1crypto: each extension is placed alone in a copy of the certificate, which cryptography then
reads. The copy is never trusted for anything else: its signature no longer matches, and only the
decoded extension is kept.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from .decoding import decoded

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509

__all__ = ["extensions_one_by_one"]


def extensions_one_by_one(certificate: x509.Certificate
                          ) -> tuple[tuple[x509.Extension, ...], tuple[tuple[str, bool], ...]]:
    """(the extensions that decode, (OID, critical) of those that do not)."""
    parsed = decoded(lambda: _split(certificate), default=None, what="its extensions")
    if parsed is None:
        return (), ()
    whole, raw_extensions = parsed
    readable: list[x509.Extension] = []
    unreadable: list[tuple[str, bool]] = []
    identities = [_identity(raw) for raw in raw_extensions]
    repeated = {oid for oid, _ in identities if sum(1 for o, _ in identities if o == oid) > 1}
    for raw, (oid, critical) in zip(raw_extensions, identities):
        if oid in repeated:
            # RFC 5280 section 4.2: one instance of an extension at most. Which copy counts is
            # unknowable, so a repeated extension cannot be processed at all, as if critical.
            if (oid, True) not in unreadable:
                unreadable.append((oid, True))
            continue
        extension = decoded(lambda: _alone(whole, raw), default=None, what="an extension")
        if extension is None:
            unreadable.append((oid, critical))
        else:
            readable.append(extension)
    return tuple(readable), tuple(unreadable)


def _split(certificate: x509.Certificate) -> tuple[asn1_x509.Certificate, list]:
    from asn1crypto import x509 as asn1_x509  # only for the rare malformed certificate

    whole = asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))
    extensions = whole["tbs_certificate"]["extensions"]
    return whole, [extensions[index] for index in range(len(extensions))]


def _identity(raw: asn1_x509.Extension) -> tuple[str, bool]:
    oid = decoded(lambda: raw["extn_id"].dotted, default="(an unreadable OID)", what="an OID")
    critical = decoded(lambda: bool(raw["critical"].native), default=True, what="a flag")
    return oid, critical


def _alone(whole: asn1_x509.Certificate, raw: asn1_x509.Extension) -> x509.Extension:
    from asn1crypto import x509 as asn1_x509

    tbs = whole["tbs_certificate"].copy()
    tbs["extensions"] = asn1_x509.Extensions([raw.copy()])
    single = asn1_x509.Certificate({
        "tbs_certificate": tbs,
        "signature_algorithm": whole["signature_algorithm"].copy(),
        "signature_value": whole["signature_value"].copy(),
    })
    extensions = x509.load_der_x509_certificate(single.dump(force=False)).extensions
    if len(extensions) != 1:
        raise ValueError("the extension did not survive on its own")
    return extensions[0]
