"""A disk cache of work derived from content files (rendered pages).

Results are kept on disk under a key made of the input text and the code that
produced them, so a restart, or a second worker process, renders only pages
that changed. Entries are JSON (never pickle): reading the cache cannot run code.

All entries of one kind live in one file, read once and written once: a
thousand small files cost more to create than the pages cost to render. The
file is written after a load that computed something new (or no longer
needed an entry), atomically, and holds exactly the entries that load used,
so it never fills up with pages that are gone. A cache that cannot be written
(read-only disk) is simply skipped.
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


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def code_version(*sources: str | Path, extra: str = "") -> str:
    """A salt that changes whenever one of the given source files changes."""
    digest = hashlib.sha256(extra.encode())
    for source in sources:
        digest.update(Path(source).read_bytes())
    return digest.hexdigest()[:16]


class ContentCache:
    """``get`` each entry of a load (``put`` what had to be computed), then ``save`` once."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._stored: dict[str, dict[str, Any]] = {}    # kind -> entries read from disk
        self._used: dict[str, dict[str, Any]] = {}      # kind -> entries used since the last save
        self._changed: set[str] = set()                 # kinds with an entry computed since the last save
        self.found = self.added = 0                     # entries read from the cache, and computed
        self.unwritten: list[Path] = []

    def get(self, kind: str, key_text: str, decode: Callable[[Any], T]) -> T | None:
        """The entry stored under ``key_text``, or None when there is none (or it cannot be decoded)."""
        if self.directory is None:
            return None
        key = _key(key_text)
        data = self._entries(kind).get(key)
        if data is None:
            return None
        try:
            value = decode(data)
        except (ValueError, KeyError, TypeError, IndexError):
            return None
        self._used.setdefault(kind, {})[key] = data
        self.found += 1
        return value

    def put(self, kind: str, key_text: str, data: Any) -> None:
        """Keep ``data`` (JSON-serialisable) under ``key_text``; written by the next ``save``."""
        if self.directory is None:
            return
        self._used.setdefault(kind, {})[_key(key_text)] = data
        self._changed.add(kind)
        self.added += 1

    def save(self) -> None:
        """Write each kind whose entries changed since it was read; forget what was read.

        A file that cannot be written is listed in ``unwritten`` (the site then renders again at its next start).
        """
        for kind, used in self._used.items():
            if kind in self._changed or used.keys() != self._stored.get(kind, {}).keys():
                path = self._path(kind)
                if not self._write(path, used):
                    self.unwritten.append(path)
        self._stored, self._used, self._changed = {}, {}, set()

    def _path(self, kind: str) -> Path:
        assert self.directory is not None
        return self.directory / f"{kind}.json"

    def _entries(self, kind: str) -> dict[str, Any]:
        entries = self._stored.get(kind)
        if entries is None:
            try:
                entries = json.loads(self._path(kind).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                entries = {}
            if not isinstance(entries, dict):
                entries = {}
            self._stored[kind] = entries
        return entries

    @staticmethod
    def _write(path: Path, data: Any) -> bool:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # json.dumps, not json.dump: only dumps uses the C encoder.
            text = json.dumps(data, separators=(",", ":"))
            # Write then rename, so a reader never sees half a file.
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    stream.write(text)
                # mkstemp makes the file private; rendered pages are public, and `render_content` may run as
                # another user than the site.
                os.chmod(temporary, 0o644)
                os.replace(temporary, path)
            except OSError:
                os.unlink(temporary)
                raise
        except OSError:
            return False
        return True
