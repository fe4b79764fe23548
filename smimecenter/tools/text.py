"""Certificate text made safe to look at.

Certificate fields are chosen by whoever made the certificate. HTML escaping (done by the templates
and by the SVG builders) stops markup; this module also makes invisible characters visible, so that
a control character, a soft hyphen, a tag character or a right-to-left override cannot hide or reorder
what a person reads.
"""
from __future__ import annotations

import unicodedata

from cryptography import x509
from cryptography.x509.oid import NameOID

# Unicode general categories that show nothing, or nothing reliable (Unicode 15.1 section 4.5): controls
# (Cc), format characters (Cf: bidi controls, zero-width and soft hyphens, U+061C, U+180E, tag characters
# U+E0000-E007F), private use (Co), unassigned (Cn), lone surrogates (Cs), line and paragraph separators.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})


def printable(value: object) -> str:
    """`value` as text with every hidden character written out as \\xNN, \\uNNNN or \\UNNNNNNNN."""
    text = "" if value is None else str(value)
    if text.isprintable():  # fast path: isprintable() is False for every hidden category (and for Zs)
        return text
    return "".join(_visible(ch) if unicodedata.category(ch) in HIDDEN_CATEGORIES else ch for ch in text)


def _visible(character: str) -> str:
    code = ord(character)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def group_hex(digest: str) -> str:
    """A fingerprint in colon-separated pairs, as mail clients and certutil show it."""
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2)).upper()


def friendly_name(distinguished_name: object) -> str:
    """A DN ("CN=Alice Example,O=Example Ltd,C=GB") as a person names it: "Alice Example (Example Ltd)".

    Falls back to an email address in the name, then to the DN as written (certificate text is the
    CA's choice: anything unreadable is shown, never guessed at).
    """
    text = "" if distinguished_name is None else str(distinguished_name)
    try:
        name = x509.Name.from_rfc4514_string(text)
    except (ValueError, TypeError):
        return text

    def first(oid: x509.ObjectIdentifier) -> str:
        values = name.get_attributes_for_oid(oid)
        return str(values[0].value) if values else ""
    common, organisation = first(NameOID.COMMON_NAME), first(NameOID.ORGANIZATION_NAME)
    person = common or first(NameOID.EMAIL_ADDRESS) or organisation
    if not person:
        return text
    return f"{person} ({organisation})" if organisation and organisation != person else person


# Key usage bits (RFC 5280 section 4.2.1.3) and extended key usages in words; the names stay in the details.
USAGE_WORDS = {
    "digitalSignature": "signing", "nonRepudiation": "signing (non-repudiation)",
    "keyEncipherment": "receiving encrypted mail (RSA)", "dataEncipherment": "encrypting data",
    "keyAgreement": "receiving encrypted mail (key agreement)", "keyCertSign": "issuing certificates",
    "cRLSign": "signing revocation lists", "encipherOnly": "encrypting only", "decipherOnly": "decrypting only",
    "emailProtection": "email (S/MIME)", "clientAuth": "signing in to services", "serverAuth": "web servers",
    "codeSigning": "signing software", "timeStamping": "time-stamping", "OCSPSigning": "signing OCSP answers",
    "anyExtendedKeyUsage": "any purpose",
}


def usage_words(names: object) -> str:
    """["digitalSignature", "keyEncipherment"] -> "signing, receiving encrypted mail (RSA)"."""
    words = [USAGE_WORDS.get(str(name), str(name)) for name in (names or ())]
    return ", ".join(dict.fromkeys(words))
