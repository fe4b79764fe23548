"""Bounds on what one diagnosis may read, so a hostile upload costs little."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Limits:
    """Ceilings checked before the costly step they protect (size before parsing, iterations before KDF)."""

    max_input_bytes: int = 1_048_576
    max_certificates: int = 500
    max_pkcs12_iterations: int = 1_000_000
    max_mime_depth: int = 8
    # Key-derivation work one diagnosis may spend, every password try of every file together, in kdf_work
    # units (one PBKDF2-HMAC-SHA-256 iteration); charged before each try. A real .p12 costs a few thousand
    # to a few hundred thousand; one million takes under a second (bench/bench_hostile.py).
    max_kdf_work: int = 1_000_000
    # Second line of defence: past this many seconds the reader stops opening further inputs and says so.
    max_seconds: float = 10.0
    # Where several processes share a machine's CPUs: a factory of a slot held while a diagnosis derives keys
    # (entering yields False when every slot is taken; the file is then not opened). None: no such limit.
    kdf_slot: Callable[[], AbstractContextManager[bool]] | None = field(default=None, compare=False)
