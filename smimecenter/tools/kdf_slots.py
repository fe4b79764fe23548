"""Machine-wide slots for key derivation, so .p12 checks cannot take every worker at once.

One request's key-derivation work is bounded by DIAGNOSE_MAX_KDF_WORK; this bounds how many requests do
such work at the same moment on one machine (DIAGNOSE_KDF_SLOTS, by default half the CPUs, at least one).
A slot is an exclusive flock on a small file: the kernel releases it when the process ends, whatever
happens, and every worker process of the machine sees the same locks without a shared cache. A request
that finds every slot busy is not made to wait (a waiting worker is as lost to readers as a busy one):
it is told to try again in a few seconds.
"""
from __future__ import annotations

import fcntl
import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings


def _lock_directory() -> Path:
    # One directory per installation, so two sites on one machine do not share slots by accident.
    tag = hashlib.sha256(str(settings.BASE_DIR).encode()).hexdigest()[:12]
    directory = Path(tempfile.gettempdir()) / f"smimecenter-kdf-{tag}"
    directory.mkdir(mode=0o700, exist_ok=True)
    return directory


@contextmanager
def kdf_slot() -> Iterator[bool]:
    """Yields True while holding one of the machine's slots, False when all are busy."""
    directory = _lock_directory()
    for index in range(settings.DIAGNOSE_KDF_SLOTS):
        handle = open(directory / f"slot-{index}.lock", "a+b")  # noqa: SIM115 (held across the yield)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
        return
    yield False
