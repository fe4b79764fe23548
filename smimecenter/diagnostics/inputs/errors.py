"""The exceptions the parsing libraries raise on malformed bytes, caught at each format's edge."""

from __future__ import annotations

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm

# asn1crypto parses lazily and raises ValueError/TypeError/KeyError... wherever a damaged field is first
# touched; cryptography raises ValueError and a few Exception subclasses of its own.
PARSE_ERRORS: tuple[type[Exception], ...] = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
    RecursionError,
    UnicodeError,
    x509.InvalidVersion,
    x509.UnsupportedGeneralNameType,
    UnsupportedAlgorithm,
)
