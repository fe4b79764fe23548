"""The one guarded place where the fields of a parsed certificate or CSR are decoded.

cryptography checks only the outer structure when it loads a certificate or a request; a field
(subject, extensions, public key, signature algorithm) is decoded the first time it is read, and
a malformed one raises then: ValueError, TypeError or UnsupportedAlgorithm, from any line that
touches it. Every such read in the engine goes through `decoded`, which turns the failure into a
plain sentence for the person and a stand-in value, so no input can reach a traceback.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm

from .parser_words import in_plain_words

__all__ = ["DECODE_ERRORS", "decoded"]

# What cryptography (and the Rust parser under it) raises for a field it cannot decode.
DECODE_ERRORS = (ValueError, TypeError, UnsupportedAlgorithm, UnicodeError, OverflowError,
                 x509.DuplicateExtension)

_Value = TypeVar("_Value")


def decoded(read: Callable[[], _Value], *, default: _Value, what: str,
            problems: list[str] | None = None, raw: list[str] | None = None) -> _Value:
    """`read()`, or `default` when the field cannot be decoded; the failure is added to
    `problems` in plain words ("<what> could not be read: ..."), and the parser's own message
    to `raw` (for experts, never the explanation itself)."""
    try:
        return read()
    except DECODE_ERRORS as error:
        if problems is not None:
            problems.append(f"{what} could not be read: {in_plain_words(str(error))}")
        if raw is not None:
            raw.append(str(error)[:300])
        return default
