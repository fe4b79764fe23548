"""Certificate text made safe to look at.

Certificate fields are chosen by whoever made the certificate. HTML escaping (done by the templates
and by the SVG builders) stops markup; this module also makes invisible characters visible, so that
a control character or a right-to-left override cannot hide or reorder what a person reads.
"""
from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the Unicode bidirectional and zero-width formatting characters.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def printable(value: object) -> str:
    """`value` as text with every invisible character written out as \\xNN or \\uNNNN."""
    text = "" if value is None else str(value)
    return _INVISIBLE.sub(_visible, text)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def group_hex(digest: str) -> str:
    """A fingerprint in colon-separated pairs, as mail clients and certutil show it."""
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2)).upper()
