"""Bounds on what one diagnosis may read, so a hostile upload costs little."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Ceilings checked before the costly step they protect (size before parsing, iterations before KDF)."""

    max_input_bytes: int = 1_048_576
    max_certificates: int = 500
    max_pkcs12_iterations: int = 1_000_000
    max_mime_depth: int = 8
