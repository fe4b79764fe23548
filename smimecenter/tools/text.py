"""Certificate text made safe to look at.

Certificate fields are chosen by whoever made the certificate. HTML escaping (done by the templates
and by the SVG builders) stops markup; this module also makes invisible characters visible, so that
a control character, a soft hyphen, a tag character or a right-to-left override cannot hide or reorder
what a person reads.
"""
from __future__ import annotations

import unicodedata

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
