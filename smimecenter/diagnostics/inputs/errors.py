"""The exceptions the parsing libraries raise on malformed bytes, caught at each format's edge."""

from __future__ import annotations

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm

from ..known_authorities import known_authorities

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
    x509.DuplicateExtension,
    UnsupportedAlgorithm,
)


def certificate_problem(certificate: x509.Certificate) -> str | None:
    """Why a loaded certificate is unusable, or None.

    cryptography parses the names, dates and extensions only when first asked; asking here means the rest
    of the engine can read any certificate it is handed without meeting an exception later. Extensions
    are not asked for: one malformed extension leaves the certificate usable, and the facts
    (certinfo.py) read the others one by one and name the bad one.
    """
    if known_authorities.is_known(certificate):
        return None  # read in full when it was first seen
    try:
        certificate.subject  # noqa: B018
        certificate.issuer  # noqa: B018
        certificate.serial_number  # noqa: B018
        certificate.not_valid_before_utc  # noqa: B018
        certificate.not_valid_after_utc  # noqa: B018
    except PARSE_ERRORS as problem:
        return str(problem)[:200] or type(problem).__name__
    return None
