"""Signed attributes of a CMS SignerInfo (RFC 5652 5.3, 11): named by type, decoded only where we need them.

An attribute is read by its type alone; its value is decoded only for the three attributes a verifier needs
(content type, message digest, signing time). Mail apps add attributes of their own, such as Microsoft's
encryption key preference, and RFC 8551 section 2.5 asks receiving agents to handle attributes they do not
recognise "in a graceful manner": one we cannot decode is named and kept, never fatal.
"""

from __future__ import annotations

from datetime import datetime

from asn1crypto import cms as asn1_cms
from asn1crypto import core

from .errors import PARSE_ERRORS
from .model import SignedAttribute

CONTENT_TYPE = "1.2.840.113549.1.9.3"  # RFC 5652 11.1
MESSAGE_DIGEST = "1.2.840.113549.1.9.4"  # RFC 5652 11.2
SIGNING_TIME = "1.2.840.113549.1.9.5"  # RFC 5652 11.3
MAX_ATTRIBUTES = 64  # mail apps add about six; a crafted signature could add thousands

# Types we can name, with where each is defined. Only the first three are ever decoded.
KNOWN: dict[str, str] = {
    CONTENT_TYPE: "content type",
    MESSAGE_DIGEST: "message digest",
    SIGNING_TIME: "signing time",
    "1.2.840.113549.1.9.6": "countersignature",  # RFC 5652 11.4
    "1.2.840.113549.1.9.15": "S/MIME capabilities",  # RFC 8551 2.5.2
    "1.2.840.113549.1.9.16.2.11": "S/MIME encryption key preference",  # RFC 8551 2.5.3
    "1.3.6.1.4.1.311.16.4": "Microsoft encryption key preference",  # added by Outlook and Thunderbird
    "1.2.840.113549.1.9.16.2.1": "ESS receipt request",  # RFC 2634 2.7
    "1.2.840.113549.1.9.16.2.2": "ESS security label",  # RFC 2634 3.2
    "1.2.840.113549.1.9.16.2.3": "ESS mailing list expansion history",  # RFC 2634 4.2.1
    "1.2.840.113549.1.9.16.2.4": "ESS content hints",  # RFC 2634 2.9
    "1.2.840.113549.1.9.16.2.9": "ESS equivalent labels",  # RFC 2634 3.4
    "1.2.840.113549.1.9.16.2.10": "ESS content reference",  # RFC 2634 2.11
    "1.2.840.113549.1.9.16.2.12": "ESS signing certificate",  # RFC 2634 5.4
    "1.2.840.113549.1.9.16.2.47": "ESS signing certificate v2",  # RFC 5035 3
    "1.2.840.113549.1.9.16.2.14": "time-stamp token",  # RFC 3161 appendix A
    "1.2.840.113549.1.9.52": "CMS algorithm protection",  # RFC 6211 2
}


def present(attributes: object) -> bool:
    return not isinstance(attributes, core.Void) and len(attributes) > 0  # type: ignore[arg-type]


def listed(attributes: asn1_cms.CMSAttributes) -> tuple[SignedAttribute, ...]:
    """Every attribute by its type, in order; the values are not touched."""
    found: list[SignedAttribute] = []
    for index, attribute in enumerate(attributes):
        if index >= MAX_ATTRIBUTES:
            break
        oid = attribute["type"].dotted
        found.append(SignedAttribute(oid, KNOWN.get(oid)))
    return tuple(found)


def content_type(attributes: asn1_cms.CMSAttributes) -> str | None:
    """The OID the content-type attribute names (RFC 5652 11.1), None when absent, damaged or repeated."""
    value = _single_value(attributes, CONTENT_TYPE, native=False)
    return value.dotted if isinstance(value, core.ObjectIdentifier) else None


def message_digest(attributes: asn1_cms.CMSAttributes) -> bytes | None:
    value = _single_value(attributes, MESSAGE_DIGEST)
    return value if isinstance(value, bytes) else None


def signing_time(attributes: asn1_cms.CMSAttributes) -> datetime | None:
    value = _single_value(attributes, SIGNING_TIME)
    return value if isinstance(value, datetime) else None


def _single_value(attributes: asn1_cms.CMSAttributes, oid: str, *, native: bool = True) -> object | None:
    """The value of an attribute that RFC 5652 section 11 allows once, with one value; None when it is
    absent, damaged or repeated (a repeated message digest must not let a verifier pick the one it likes)."""
    matches = [attribute for attribute in attributes if attribute["type"].dotted == oid]
    if len(matches) != 1:
        return None
    try:
        values = matches[0]["values"]
        if len(values) != 1:
            return None
        return values[0].native if native else values[0]
    except PARSE_ERRORS:
        return None
