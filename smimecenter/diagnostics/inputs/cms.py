"""Verifying a CMS SignedData signature (RFC 5652) over the content it signs.

asn1crypto reads the structure; cryptography does the arithmetic. Every SignerInfo is judged on its own
(RFC 5652 5.1 allows any number of signers; each signature stands alone). Signed attributes are read by
type, and only the ones a verifier needs are decoded (cms_attributes), so an attribute a mail app adds
that we cannot decode never hides the signature.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import cms as asn1_cms
from asn1crypto import core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa

from . import cms_attributes
from .model import SignedAttribute
from .errors import PARSE_ERRORS, certificate_problem

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "md5": hashes.MD5, "sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256,
    "sha384": hashes.SHA384, "sha512": hashes.SHA512, "sha512_224": hashes.SHA512_224,
    "sha512_256": hashes.SHA512_256, "sha3_224": hashes.SHA3_224, "sha3_256": hashes.SHA3_256,
    "sha3_384": hashes.SHA3_384, "sha3_512": hashes.SHA3_512,
}
_SIGNATURE_NAMES = {
    "rsassa_pkcs1v15": "RSA PKCS#1 v1.5", "rsassa_pss": "RSA-PSS", "ecdsa": "ECDSA", "dsa": "DSA",
    "ed25519": "Ed25519", "ed448": "Ed448",
}
MAX_CERTIFICATES = 200  # a signature carries its chain: a handful; the collector's limit applies on top
MAX_SIGNERS = 20  # mail carries one signer, rarely two; each one costs a signature verification


class CmsError(ValueError):
    """The SignedData cannot be read; the message is plain English."""


@dataclass(frozen=True)
class SignerResult:
    """What one SignerInfo says and whether it holds."""

    signer: x509.Certificate | None
    content_intact: bool | None
    signature_valid: bool | None
    digest_algorithm: str | None
    signature_algorithm: str | None
    signing_time: datetime | None
    problem: str | None
    signed_attributes: tuple[SignedAttribute, ...] = ()


@dataclass(frozen=True)
class Verification:
    certificates: tuple[x509.Certificate, ...]
    signers: tuple[SignerResult, ...]  # empty for a certificates-only bundle (.p7b/.p7c)
    encapsulated: bytes | None  # the signed content carried inside, for opaque signed messages
    digest_algorithms: tuple[str, ...] = ()  # SignedData.digestAlgorithms (RFC 5652 5.1)
    signers_left_out: int = 0  # SignerInfos past MAX_SIGNERS, not verified

    @property
    def has_signer(self) -> bool:
        return bool(self.signers)


def load_signed_data(data: bytes) -> asn1_cms.SignedData:
    try:
        info = asn1_cms.ContentInfo.load(data, strict=False)
        if info["content_type"].native != "signed_data":
            raise CmsError("it is not a signature")
        signed = info["content"]
        _touch_structure(signed)
        return signed
    except CmsError:
        raise
    except PARSE_ERRORS as problem:
        raise CmsError("its signature structure is damaged") from problem


def _touch_structure(signed: asn1_cms.SignedData) -> None:
    """Force asn1crypto's lazy parse of what every verification reads, here where errors are caught.

    Attribute values are left alone: they are decoded one by one, and only those we need.
    """
    signed["digest_algorithms"].native  # noqa: B018
    for index, info in enumerate(signed["signer_infos"]):
        if index >= MAX_SIGNERS:
            break
        for field in ("version", "sid", "digest_algorithm", "signature_algorithm", "signature"):
            info[field].native  # noqa: B018
        attributes = info["signed_attrs"]
        if cms_attributes.present(attributes):
            cms_attributes.listed(attributes)


def carried_certificates(signed: asn1_cms.SignedData) -> tuple[list[x509.Certificate], list[asn1_x509.Certificate]]:
    """The certificates in the SignedData, in both libraries' forms, skipping those cryptography refuses."""
    ours: list[x509.Certificate] = []
    theirs: list[asn1_x509.Certificate] = []
    try:
        choices = signed["certificates"]
        if isinstance(choices, core.Void) or not len(choices):
            return ours, theirs
        for index, choice in enumerate(choices):
            if index >= MAX_CERTIFICATES:
                break
            if choice.name != "certificate":
                continue
            try:
                certificate = x509.load_der_x509_certificate(choice.chosen.dump())
            except PARSE_ERRORS:
                continue
            if certificate_problem(certificate) is not None:
                continue
            ours.append(certificate)
            theirs.append(choice.chosen)
    except PARSE_ERRORS:
        pass  # keep the certificates read before the damage
    return ours, theirs


def verify(data: bytes, content: bytes | tuple[bytes, ...] | None) -> Verification:
    """Verify every signer. content: the detached signed bytes (several candidate forms may be given),
    or None to use the encapsulated content, if any."""
    signed = load_signed_data(data)
    try:
        return _verify(signed, content)
    except CmsError:
        raise
    except PARSE_ERRORS as problem:
        raise CmsError("its signature structure is damaged") from problem


def _verify(signed: asn1_cms.SignedData, content: bytes | tuple[bytes, ...] | None) -> Verification:
    certificates, asn1_certificates = carried_certificates(signed)
    refused = _refused_certificates(signed, asn1_certificates)
    encapsulated = _encapsulated(signed)
    digest_algorithms = tuple(str(a["algorithm"].native) for a in signed["digest_algorithms"])
    infos = signed["signer_infos"]
    content_type = signed["encap_content_info"]["content_type"].dotted
    candidates: tuple[bytes, ...]
    if content is None:
        candidates = (encapsulated,) if encapsulated is not None else ()
    elif isinstance(content, bytes):
        candidates = (content,)
    else:
        candidates = content
    results = tuple(
        _guarded_signer(info, candidates, certificates, asn1_certificates, content_type, refused)
        for index, info in enumerate(infos) if index < MAX_SIGNERS
    )
    return Verification(certificates=tuple(certificates), signers=results, encapsulated=encapsulated,
                        digest_algorithms=digest_algorithms, signers_left_out=max(0, len(infos) - MAX_SIGNERS))


def _guarded_signer(
    info: asn1_cms.SignerInfo, candidates: tuple[bytes, ...], certificates: list[x509.Certificate],
    asn1_certificates: list[asn1_x509.Certificate], content_type: str,
    refused: Sequence[asn1_x509.Certificate] = (),
) -> SignerResult:
    """One damaged SignerInfo is reported as such; the other signers are still checked."""
    try:
        return _verify_signer(info, candidates, certificates, asn1_certificates, content_type, refused)
    except PARSE_ERRORS:
        return SignerResult(signer=None, content_intact=None, signature_valid=None, digest_algorithm=None,
                            signature_algorithm=None, signing_time=None,
                            problem="this signer's part of the signature structure is damaged")


def _verify_signer(
    info: asn1_cms.SignerInfo, candidates: tuple[bytes, ...], certificates: list[x509.Certificate],
    asn1_certificates: list[asn1_x509.Certificate], content_type: str,
    refused: Sequence[asn1_x509.Certificate] = (),
) -> SignerResult:
    """RFC 5652 5.6: one SignerInfo's message digest and signature, each judged on its own."""
    digest_name = str(info["digest_algorithm"]["algorithm"].native)
    signature_name = _signature_name(info)
    signer = _find_signer(info["sid"], certificates, asn1_certificates)
    attributes = info["signed_attrs"]
    has_attributes = cms_attributes.present(attributes)
    if has_attributes and len(attributes) > cms_attributes.MAX_ATTRIBUTES:
        # each attribute costs a parse; a crafted signature could carry tens of thousands
        return SignerResult(
            signer=signer, content_intact=None, signature_valid=None, digest_algorithm=digest_name,
            signature_algorithm=signature_name, signing_time=None,
            problem=f"it carries {len(attributes)} signed attributes, more than the "
                    f"{cms_attributes.MAX_ATTRIBUTES} this tool reads (mail apps add about six)")
    signing_time = cms_attributes.signing_time(attributes) if has_attributes else None
    listed = cms_attributes.listed(attributes) if has_attributes else ()
    hash_type = _HASHES.get(digest_name)
    problems: list[str] = []
    content_intact: bool | None = None
    if hash_type is None:
        problems.append(f"it uses the digest algorithm {digest_name}, which this tool cannot compute")
    elif has_attributes:
        expected = cms_attributes.message_digest(attributes)
        if expected is None:
            problems.append("its signed attributes lack a single message digest (RFC 5652 5.3)")
        elif not candidates:
            problems.append("the signed content was not supplied, so whether it was changed cannot be checked")
        else:
            content_intact = any(hmac.compare_digest(_digest(hash_type, c), expected) for c in candidates)
            if not content_intact:
                problems.append("the message was changed after it was signed: its digest does not match")
    signature_valid: bool | None = None
    if signer is None and any(_identifies(info["sid"], certificate) for certificate in refused):
        # Carried but unreadable, e.g. a DSA key whose parameters come from its issuer (RFC 3279
        # section 2.3.2, RFC 4134 example 4.6): saying it is missing would be untrue.
        problems.append("the signer's certificate is in the signature but cannot be read, so the "
                        "signature cannot be checked")
    elif signer is None:
        problems.append("the signer's certificate is not in the signature, so the signature cannot be checked")
    elif hash_type is not None:
        if has_attributes:
            # RFC 5652 5.4: the signature covers the DER of signedAttrs with the EXPLICIT SET OF tag
            signed_bytes: tuple[bytes, ...] = (b"\x31" + attributes.dump()[1:],)
        else:
            signed_bytes = candidates
        if signed_bytes:
            signature = info["signature"].native
            signature_valid = any(_check(signer, info, hash_type, signature, b) for b in signed_bytes)
            if has_attributes and not signature_valid:
                problems.append("the signature does not verify with the signer's public key")
            elif has_attributes and cms_attributes.content_type(attributes) != content_type:
                # RFC 5652 5.3 and 11.1: the signed content-type attribute must name the content signed,
                # or a signature over one kind of content could be passed off as one over another
                signature_valid = False
                problems.append("its signed content-type attribute does not name the content it signs "
                                "(RFC 5652 section 11.1)")
            elif not has_attributes:
                # RFC 5652 5.4: without signed attributes the signature covers the content itself, so a
                # valid one proves the content intact, and a failed one cannot tell a change from a forgery
                content_intact = True if signature_valid else None
                if not signature_valid:
                    problems.append("the signature does not match the content: either the message was changed "
                                    "after it was signed or the signature was not made with this key")
        else:
            problems.append("the signed content was not supplied, so the signature cannot be checked")
    return SignerResult(
        signer=signer, content_intact=content_intact, signature_valid=signature_valid,
        digest_algorithm=digest_name, signature_algorithm=signature_name, signing_time=signing_time,
        problem="; ".join(problems) or None, signed_attributes=listed,
    )


def _encapsulated(signed: asn1_cms.SignedData) -> bytes | None:
    value = signed["encap_content_info"]["content"]
    if isinstance(value, core.Void) or value.native is None:
        return None
    native = value.native
    if isinstance(native, bytes):
        return native
    return value.parsed.dump() if hasattr(value, "parsed") else None


def _signature_name(info: asn1_cms.SignerInfo) -> str | None:
    try:
        algo = info["signature_algorithm"].signature_algo
    except PARSE_ERRORS:
        return str(info["signature_algorithm"]["algorithm"].native)
    return _SIGNATURE_NAMES.get(algo, algo)


def _find_signer(
    sid: asn1_cms.SignerIdentifier, certificates: list[x509.Certificate],
    asn1_certificates: list[asn1_x509.Certificate],
) -> x509.Certificate | None:
    for ours, theirs in zip(certificates, asn1_certificates, strict=True):
        if _identifies(sid, theirs):
            return ours
    return None


def _identifies(sid: asn1_cms.SignerIdentifier, certificate: asn1_x509.Certificate) -> bool:
    """RFC 5652 5.3: the signer is named by issuerAndSerialNumber or subjectKeyIdentifier."""
    try:
        if sid.name == "issuer_and_serial_number":
            return (certificate.serial_number == sid.chosen["serial_number"].native
                    and certificate.issuer == sid.chosen["issuer"])
        if sid.name == "subject_key_identifier":
            return certificate.key_identifier == sid.chosen.native
    except PARSE_ERRORS:
        pass  # a certificate too damaged to read names no one
    return False


def _refused_certificates(signed: asn1_cms.SignedData, readable: list[asn1_x509.Certificate]
                          ) -> list[asn1_x509.Certificate]:
    """The certificates in the SignedData that carried_certificates could not use."""
    kept = {id(certificate) for certificate in readable}
    try:
        choices = signed["certificates"]
        if isinstance(choices, core.Void):
            return []
        return [choice.chosen for index, choice in enumerate(choices)
                if index < MAX_CERTIFICATES and choice.name == "certificate" and id(choice.chosen) not in kept]
    except PARSE_ERRORS:
        return []


def _digest(hash_type: type[hashes.HashAlgorithm], data: bytes) -> bytes:
    context = hashes.Hash(hash_type())
    context.update(data)
    return context.finalize()


def _check(
    signer: x509.Certificate, info: asn1_cms.SignerInfo, hash_type: type[hashes.HashAlgorithm],
    signature: bytes, signed_bytes: bytes,
) -> bool:
    try:
        key = signer.public_key()
        algorithm = info["signature_algorithm"]
        algo = algorithm.signature_algo
        if isinstance(key, rsa.RSAPublicKey):
            if algo == "rsassa_pss":
                pss_padding, pss_hash = _pss(algorithm["parameters"])
                key.verify(signature, signed_bytes, pss_padding, pss_hash)
            else:
                key.verify(signature, signed_bytes, padding.PKCS1v15(), _signature_hash(algorithm, hash_type))
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, signed_bytes, ec.ECDSA(_signature_hash(algorithm, hash_type)))
        elif isinstance(key, dsa.DSAPublicKey):
            key.verify(signature, signed_bytes, _signature_hash(algorithm, hash_type))
        elif isinstance(key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
            key.verify(signature, signed_bytes)  # RFC 8419: the key hashes the data itself
        else:
            return False
    except InvalidSignature:
        return False
    except PARSE_ERRORS:
        return False
    return True


def _signature_hash(algorithm: object, fallback: type[hashes.HashAlgorithm]) -> hashes.HashAlgorithm:
    """The hash named by e.g. sha256WithRSAEncryption, else the SignerInfo's digest algorithm (RFC 5754)."""
    try:
        name = algorithm.hash_algo  # type: ignore[attr-defined]
    except PARSE_ERRORS:
        return fallback()
    return _HASHES.get(name, fallback)()


def _pss(parameters: object) -> tuple[padding.PSS, hashes.HashAlgorithm]:
    """RFC 4055 3.1 RSASSA-PSS-params; absent fields take SHA-1, MGF1-SHA-1 and a 20-byte salt."""
    hash_name = parameters["hash_algorithm"]["algorithm"].native  # type: ignore[index]
    mgf = parameters["mask_gen_algorithm"]  # type: ignore[index]
    if mgf["algorithm"].native != "mgf1":
        raise ValueError("unsupported mask generation")
    mgf_hash = mgf["parameters"]["algorithm"].native
    salt_length = int(parameters["salt_length"].native)  # type: ignore[index]
    if hash_name not in _HASHES or mgf_hash not in _HASHES:
        raise ValueError("unsupported PSS hash")
    return padding.PSS(mgf=padding.MGF1(_HASHES[mgf_hash]()), salt_length=salt_length), _HASHES[hash_name]()
