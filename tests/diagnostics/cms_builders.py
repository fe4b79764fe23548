"""Signed messages with the details real mail apps produce, built in code for the tests.

cryptography's PKCS7SignatureBuilder makes the signature; asn1crypto then changes what a test needs
(an extra signed attribute, another digest, an empty digestAlgorithms set) and the signer's key signs the
changed attributes again, as RFC 5652 5.4 says, so the result is a genuine signature of that shape.
"""

from __future__ import annotations

import base64
import datetime as dt

from asn1crypto import cms as asn1_cms
from asn1crypto import core
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7

BODY = b"Content-Type: text/plain; charset=utf-8\r\n\r\nHello Bob,\r\nlunch at noon?\r\n"
MICROSOFT_KEY_PREFERENCE = "1.3.6.1.4.1.311.16.4"
ESS_SECURITY_LABEL = "1.2.840.113549.1.9.16.2.2"
_HASHES = {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "md5": hashes.MD5}


def tlv(tag: int, content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        return bytes([tag, length]) + content
    size = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + content


def attribute(oid: str, value_der: bytes) -> asn1_cms.CMSAttribute:
    """Attribute ::= SEQUENCE { attrType OID, attrValues SET OF value } (RFC 5652 5.3)."""
    return asn1_cms.CMSAttribute.load(tlv(0x30, core.ObjectIdentifier(oid).dump() + tlv(0x31, value_der)))


def issuer_and_serial(issued) -> bytes:
    """The value Outlook and Thunderbird put in Microsoft's encryption key preference attribute."""
    certificate = asn1_x509.Certificate.load(issued.der)
    return asn1_cms.IssuerAndSerialNumber({"issuer": certificate.issuer,
                                          "serial_number": certificate.serial_number}).dump()


def security_label() -> bytes:
    """ESSSecurityLabel (RFC 2634 3.2): a policy identifier and a classification."""
    return tlv(0x31, core.ObjectIdentifier("1.3.6.1.4.1.99999.7").dump() + core.Integer(2).dump())


def signed_der(*signers, content: bytes = BODY, detached: bool = True, chain=()) -> bytes:
    built = pkcs7.PKCS7SignatureBuilder().set_data(content)
    for signer in signers:
        built = built.add_signer(signer.certificate, signer.key, hashes.SHA256())
    for extra in chain:
        built = built.add_certificate(extra.certificate)
    options = [pkcs7.PKCS7Options.DetachedSignature] if detached else []
    return built.sign(Encoding.DER, options)


def changed(der: bytes, signer, *, index: int = 0, extra_attributes=(), digest: str | None = None,
            signing_time: dt.datetime | None = None, content: bytes = BODY,
            digest_algorithms: list | None = None, content_type: str | None = None) -> bytes:
    """The signature with SignerInfo `index` changed and signed again with `signer`'s key."""
    info = asn1_cms.ContentInfo.load(der)
    signed = info["content"]
    signer_info = signed["signer_infos"][index]
    attributes = list(signer_info["signed_attrs"])
    if digest is not None:
        context = hashes.Hash(_HASHES[digest]())
        context.update(content)
        attributes = [a for a in attributes if a["type"].native != "message_digest"]
        attributes.append(asn1_cms.CMSAttribute({"type": "message_digest", "values": [context.finalize()]}))
        signer_info["digest_algorithm"] = {"algorithm": digest}
        signer_info["signature_algorithm"] = {"algorithm": "rsassa_pkcs1v15"
                                              if isinstance(signer.key, rsa.RSAPrivateKey) else "ecdsa"}
    if signing_time is not None:
        attributes = [a for a in attributes if a["type"].native != "signing_time"]
        attributes.append(attribute("1.2.840.113549.1.9.5", core.UTCTime(signing_time).dump()))
    if content_type is not None:
        attributes = [a for a in attributes if a["type"].native != "content_type"]
        attributes.append(attribute("1.2.840.113549.1.9.3", core.ObjectIdentifier(content_type).dump()))
    attributes.extend(extra_attributes)
    # The SET is written by hand: asn1crypto would re-decode (and reject) values it cannot parse
    to_sign = tlv(0x31, b"".join(a.dump() for a in attributes))
    signer_info["signed_attrs"] = asn1_cms.CMSAttributes.load(to_sign)
    hash_type = _HASHES[digest or "sha256"]()
    if isinstance(signer.key, rsa.RSAPrivateKey):
        signature = signer.key.sign(to_sign, padding.PKCS1v15(), hash_type)
    else:
        signature = signer.key.sign(to_sign, ec.ECDSA(hash_type))
    signer_info["signature"] = signature
    if digest_algorithms is not None:
        signed["digest_algorithms"] = digest_algorithms
    return info.dump()


def detached_email(signature_der: bytes, *, content: bytes = BODY, sender: str = "alice@example.com") -> bytes:
    """A multipart/signed message (RFC 8551 3.5.3) around `content`; the boundary is the sender's own, so
    one signed message can be wrapped in another's."""
    boundary = b"----=_signed_by_" + sender.encode().replace(b"@", b"_at_")
    return (f"From: Alice <{sender}>\r\nTo: bob@example.org\r\nSubject: Lunch\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; "
            f"boundary=\"{boundary.decode()}\"\r\n\r\n").encode() + b"--" + boundary + b"\r\n" + content + \
        b"\r\n--" + boundary + b"\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\n" \
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(signature_der) + \
        b"\r\n--" + boundary + b"--\r\n"


def opaque_entity(der: bytes, smime_type: str = "signed-data") -> bytes:
    """An application/pkcs7-mime entity (RFC 8551 3.2) holding a signature or an encrypted message."""
    return (f"Content-Type: application/pkcs7-mime; smime-type={smime_type}; name=smime.p7m\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n").encode() + base64.encodebytes(der)
