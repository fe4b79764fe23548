"""A disk cache of work derived from content files (rendered HTML, search terms).

Rendering Markdown is the slowest step of start-up (about 7 ms per page).
Results are kept on disk under a key made of the input text and the code that
produced them, so a restart, or a second worker process, renders only pages
that changed. Entries are JSON (never pickle): reading the cache cannot run code.
A cache that cannot be written (read-only disk) is simply skipped.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def code_version(*sources: str | Path, extra: str = "") -> str:
    """A salt that changes whenever one of the given source files changes."""
    digest = hashlib.sha256(extra.encode())
    for source in sources:
        digest.update(Path(source).read_bytes())
    return digest.hexdigest()[:16]


class ContentCache:
    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    def get_or_compute(
        self,
        kind: str,
        key_text: str,
        compute: Callable[[], T],
        encode: Callable[[T], Any],
        decode: Callable[[Any], T],
    ) -> T:
        if self.directory is None:
            return compute()
        key = hashlib.sha256(key_text.encode("utf-8")).hexdigest()
        path = self.directory / kind / key[:2] / f"{key}.json"
        try:
            return decode(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            pass
        value = compute()
        self._write(path, encode(value))
        return value

    @staticmethod
    def _write(path: Path, data: Any) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a reader never sees half a file.
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream, separators=(",", ":"))
            os.replace(temporary, path)
        except OSError:
            pass
