"""PKCS#7 / CMS SignedData seen on its own: a certificate bundle (.p7b/.p7c) or a signature (.p7s/.p7m)."""

from __future__ import annotations

import warnings

from cryptography.hazmat.primitives.serialization import pkcs7 as crypto_pkcs7

from . import cms
from .collector import Collector
from .errors import PARSE_ERRORS
from .model import SignedMessage


def read_signed_data(collector: Collector, data: bytes, origin: str, *, depth: int = 0) -> None:
    try:
        signed = cms.load_signed_data(data)
    except cms.CmsError as problem:
        collector.unreadable(origin, "damaged PKCS#7 data", str(problem))
        return
    if len(signed["signer_infos"]):
        read_signature(collector, data, origin, content=None, kind=None, from_address=None)
        return
    _read_bundle(collector, data, signed, origin)


def _read_bundle(collector: Collector, data: bytes, signed: object, origin: str) -> None:
    """A certificates-only SignedData (RFC 8551 3.6): cryptography's loader, asn1crypto when it refuses BER."""
    try:
        with warnings.catch_warnings():  # its notice about reading BER is for developers, not for the report
            warnings.simplefilter("ignore", UserWarning)
            certificates = crypto_pkcs7.load_der_pkcs7_certificates(data)
    except PARSE_ERRORS:
        certificates, _ = cms.carried_certificates(signed)  # type: ignore[arg-type]
    if not certificates:
        collector.unreadable(origin, "empty PKCS#7 bundle", "it holds no certificates")
        return
    for certificate in certificates:
        collector.certificate(certificate, origin, "pkcs7")


def read_signature(
    collector: Collector, data: bytes, origin: str, *, content: bytes | tuple[bytes, ...] | None,
    kind: str | None, from_address: str | None, layer: int = 1,
) -> bytes | None:
    """Verify a signature and record each of its signers as a SignedMessage, with the certificates it
    carries in the supplied list.

    Returns the content carried inside the signature (opaque signing), for the message reader to walk.
    """
    try:
        result = cms.verify(data, content)
    except cms.CmsError as problem:
        collector.unreadable(origin, "damaged signature", str(problem))
        return None
    if not result.has_signer:
        for certificate in result.certificates:
            collector.certificate(certificate, origin, "pkcs7")
        return None
    if kind is None:
        kind = "application/pkcs7-mime" if result.encapsulated is not None else "p7s"
    for certificate in result.certificates:
        collector.certificate(certificate, origin, "signed-message")
    count = len(result.signers) + result.signers_left_out
    for number, signer in enumerate(result.signers, start=1):
        where = [f"S/MIME layer {layer}"] if layer > 1 else []
        where += [f"signer {number} of {count}"] if count > 1 else []
        collector.parsed.messages.append(SignedMessage(
            origin=f"{origin} ({', '.join(where)})" if where else origin,
            kind=kind, from_address=from_address, signer=signer.signer,
            certificates=result.certificates, content_intact=signer.content_intact,
            signature_valid=signer.signature_valid, digest_algorithm=signer.digest_algorithm,
            signature_algorithm=signer.signature_algorithm, signing_time=signer.signing_time,
            problem=signer.problem, signed_attributes=signer.signed_attributes,
            digest_algorithms=result.digest_algorithms, signer_number=number, signer_count=count,
            layer=layer,
        ))
    return result.encapsulated
