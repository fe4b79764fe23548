"""Telling DER (and BER) structures apart by their outer shape, then loading certificates."""

from __future__ import annotations

from cryptography import x509

from ..known_authorities import known_authorities
from .tlv import Element, TlvError, children, content, read_element

SEQUENCE = 0x30
INTEGER = 0x02
OCTET_STRING = 0x04
BIT_STRING = 0x03
OID = 0x06
CONTEXT_0_CONSTRUCTED = 0xA0

# DER encodings of the content-type OIDs (RFC 5652 section 4 ff., RFC 5083)
OID_DATA = bytes.fromhex("2a864886f70d010701")  # 1.2.840.113549.1.7.1
OID_SIGNED_DATA = bytes.fromhex("2a864886f70d010702")  # 1.2.840.113549.1.7.2
OID_ENVELOPED_DATA = bytes.fromhex("2a864886f70d010703")  # 1.2.840.113549.1.7.3
OID_ENCRYPTED_DATA = bytes.fromhex("2a864886f70d010706")  # 1.2.840.113549.1.7.6
OID_AUTH_ENVELOPED_DATA = bytes.fromhex("2a864886f70d0109100117")  # 1.2.840.113549.1.9.16.1.23

# Kinds returned by classify()
CERTIFICATE = "certificate"
SIGNED_OBJECT = "signed object"  # certificate, CSR or CRL: told apart by trying the loaders
PKCS7_SIGNED = "pkcs7 signed-data"
PKCS7_ENVELOPED = "pkcs7 enveloped-data"
PKCS7_ENCRYPTED = "pkcs7 encrypted-data"
PKCS7_OTHER = "pkcs7 other"
PFX = "pkcs12"
PRIVATE_KEY_INFO = "pkcs8 private key"
ENCRYPTED_PRIVATE_KEY_INFO = "encrypted pkcs8 private key"
RSA_PRIVATE_KEY = "rsa private key"
EC_PRIVATE_KEY = "ec private key"
DSA_PRIVATE_KEY = "dsa private key"
PUBLIC_KEY = "public key"
UNKNOWN = "unknown"


def _small_integer(data: bytes, element: Element) -> int | None:
    if element.tag != INTEGER or element.content_end - element.content_start > 4:
        return None
    return int.from_bytes(content(data, element), "big", signed=True)


def classify(data: bytes) -> str:
    """Name the structure a blob of DER/BER holds, from its outer shape only."""
    try:
        top = read_element(data)
        if top.tag != SEQUENCE:
            return UNKNOWN
        parts = children(data, top)
    except TlvError:
        return UNKNOWN
    if not parts:
        return UNKNOWN
    first = parts[0]
    if first.tag == OID:
        return _classify_content_info(data, first)
    if first.tag == INTEGER:
        return _classify_versioned(data, parts)
    if first.tag == SEQUENCE and len(parts) >= 2:
        second = parts[1]
        if len(parts) == 3 and second.tag == SEQUENCE and parts[2].tag == BIT_STRING:
            return SIGNED_OBJECT  # X.509 certificate, PKCS#10 request or CRL (RFC 5280 4.1, RFC 2986 4)
        if len(parts) == 2 and second.tag == BIT_STRING:
            return PUBLIC_KEY  # SubjectPublicKeyInfo (RFC 5280 4.1.2.7)
        if len(parts) == 2 and second.tag == OCTET_STRING:
            return ENCRYPTED_PRIVATE_KEY_INFO  # RFC 5958 3
    return UNKNOWN


def _classify_content_info(data: bytes, oid: Element) -> str:
    value = content(data, oid)
    if value == OID_SIGNED_DATA:
        return PKCS7_SIGNED
    if value in (OID_ENVELOPED_DATA, OID_AUTH_ENVELOPED_DATA):
        return PKCS7_ENVELOPED
    if value == OID_ENCRYPTED_DATA:
        return PKCS7_ENCRYPTED
    return PKCS7_OTHER


def _classify_versioned(data: bytes, parts: list[Element]) -> str:
    version = _small_integer(data, parts[0])
    second = parts[1] if len(parts) > 1 else None
    if second is None:
        return UNKNOWN
    if version == 3 and second.tag == SEQUENCE:  # PFX (RFC 7292 4): version 3, authSafe ContentInfo
        try:
            inner = children(data, second, limit=1)
        except TlvError:
            return UNKNOWN
        if inner and inner[0].tag == OID and content(data, inner[0]) == OID_DATA:
            return PFX
        return UNKNOWN
    if version in (0, 1) and second.tag == SEQUENCE and len(parts) >= 3 and parts[2].tag == OCTET_STRING:
        return PRIVATE_KEY_INFO  # PKCS#8 / OneAsymmetricKey (RFC 5958 2)
    if version == 1 and second.tag == OCTET_STRING:
        return EC_PRIVATE_KEY  # RFC 5915 3
    if version in (0, 1) and len(parts) >= 9 and all(p.tag == INTEGER for p in parts[:9]):
        return RSA_PRIVATE_KEY  # RFC 8017 A.1.2
    if version == 0 and len(parts) == 6 and all(p.tag == INTEGER for p in parts):
        return DSA_PRIVATE_KEY  # OpenSSL's traditional DSA form
    return UNKNOWN


def first_element_bytes(data: bytes) -> bytes:
    """The bytes of the first element, dropping anything after it (OpenSSL's TRUSTED CERTIFICATE aux data)."""
    try:
        return data[: read_element(data).end]
    except TlvError:
        return data


def load_certificate(data: bytes) -> x509.Certificate:
    """Parse a DER certificate; a CA certificate seen before comes back as the object already read."""
    return known_authorities.certificate(data) or x509.load_der_x509_certificate(data)
