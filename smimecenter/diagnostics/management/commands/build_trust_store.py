"""Rebuild the embedded list of roots Mozilla trusts for email, with a record of where it came from."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding
from django.core.management.base import BaseCommand, CommandError, CommandParser

from smimecenter.diagnostics.trust import DATA_DIRECTORY, EMBEDDED_NAME, EMBEDDED_PEM, EMBEDDED_PROVENANCE
from smimecenter.diagnostics.truststore_sources import (
    SourceRoot,
    TrustSourceError,
    load_nss_builtins,
    read_ccadb_csv,
    read_certdata,
)


class Command(BaseCommand):
    help = (
        "Write diagnostics/data/mozilla-email-roots.pem and .json: the roots Mozilla trusts to issue email "
        "certificates, from this machine's NSS builtin module (default), a certdata.txt or a CCADB CSV report."
    )
    # Reads a root list and writes two files: the site's content checks have no bearing on that.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--from-nss", action="store_true",
                            help="read the NSS builtin root module with certutil and modutil (the default)")
        source.add_argument("--certdata", metavar="FILE", help="read Mozilla's certdata.txt")
        source.add_argument("--ccadb-csv", metavar="FILE", help="read a CCADB CSV report of Mozilla's roots")
        parser.add_argument("--nss-library", metavar="PATH",
                            help="libnssckbi.so to read with --from-nss (for example one unpacked from a newer "
                                 "libnss3 package); default: the installed one")
        parser.add_argument("--list-version", metavar="TEXT",
                            help="version to record for a certdata.txt or CSV file (e.g. \"NSS 3.110\")")
        parser.add_argument("--output", metavar="DIR", default=str(DATA_DIRECTORY),
                            help=f"directory to write into (default: {DATA_DIRECTORY})")
        parser.add_argument("--timeout", type=float, default=60.0,
                            help="seconds allowed for each certutil/modutil call (default 60)")

    def handle(self, *args: object, **options: object) -> None:
        try:
            roots, description = self._read(options)
        except (TrustSourceError, OSError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from error
        email_roots = _unique_email_roots(roots)
        if not email_roots:
            raise CommandError("The source lists no root trusted for email; nothing was written.")
        left_out = len({_sha256(root) for root in roots}) - len(email_roots)
        output = Path(str(options["output"]))
        output.mkdir(parents=True, exist_ok=True)
        pem_path = output / EMBEDDED_PEM.name
        json_path = output / EMBEDDED_PROVENANCE.name
        provenance = {
            "name": EMBEDDED_NAME,
            **description,
            "built": datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            "roots": len(email_roots),
            "not_email_trusted_left_out": left_out,
            "certificates": [_entry(root) for root in email_roots],
        }
        _write_atomically(pem_path, _pem_text(email_roots, provenance))
        _write_atomically(json_path, json.dumps(provenance, indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(
            f"Wrote {len(email_roots)} roots trusted for email ({left_out} others left out) from "
            f"{description['source']}, {description['version']}, to {pem_path} and {json_path.name}."
        )

    def _read(self, options: dict[str, object]) -> tuple[list[SourceRoot], dict[str, object]]:
        if options.get("certdata"):
            path = Path(str(options["certdata"]))
            roots = list(read_certdata(path.read_text(encoding="utf-8")))
            return roots, _file_description("Mozilla certdata.txt", path, options.get("list_version"))
        if options.get("ccadb_csv"):
            path = Path(str(options["ccadb_csv"]))
            roots = list(read_ccadb_csv(path.read_text(encoding="utf-8-sig")))
            return roots, _file_description("CCADB report of Mozilla's included roots", path,
                                            options.get("list_version"))
        library = options.get("nss_library")
        builtins = load_nss_builtins(str(library) if library else None, timeout=float(options["timeout"]))
        version = f"NSS {builtins.nss_version or 'unknown'}, builtin root list {builtins.builtins_version or 'unknown'}"
        return builtins.roots, {
            "source": "NSS builtin root module (libnssckbi.so)",
            "version": version,
            "date": _file_date(builtins.library),
            "details": {
                "library": str(builtins.library),
                "package": builtins.package,
                "nss_version": builtins.nss_version,
                "builtins_version": builtins.builtins_version,
                "date_is": "modification date of the module file (the package's build date)",
            },
        }


def _file_description(source: str, path: Path, version: object) -> dict[str, object]:
    return {
        "source": f"{source} ({path.name})",
        "version": str(version) if version else "not stated",
        "date": _file_date(path),
        "details": {"file": path.name, "date_is": "modification date of the file"},
    }


def _file_date(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).date().isoformat()


def _sha256(root: SourceRoot) -> str:
    return hashlib.sha256(root.certificate.public_bytes(Encoding.DER)).hexdigest()


def _unique_email_roots(roots: Iterable[SourceRoot]) -> list[SourceRoot]:
    """Email-trusted roots once each, in an order that does not depend on the source's order."""
    chosen: dict[str, SourceRoot] = {}
    for root in roots:
        if root.email_trusted:
            chosen.setdefault(_sha256(root), root)
    return sorted(chosen.values(), key=lambda root: (root.label.casefold(), root.label, _sha256(root)))


def _entry(root: SourceRoot) -> dict[str, object]:
    entry: dict[str, object] = {"label": root.label, "sha256": _sha256(root)}
    if root.email_distrust_after is not None:
        entry["email_distrust_after"] = root.email_distrust_after.isoformat().replace("+00:00", "Z")
    return entry


def _pem_text(roots: list[SourceRoot], provenance: dict[str, object]) -> str:
    lines = [
        f"## {EMBEDDED_NAME}: {provenance['roots']} roots trusted to issue email certificates.",
        f"## Source: {provenance['source']}; {provenance['version']}; dated {provenance['date']}.",
        "## Written by `manage.py build_trust_store`; provenance in mozilla-email-roots.json.",
        "",
    ]
    for root in roots:
        label = " ".join(root.label.split())   # one line, whatever the source put in the name
        lines.append(f"# {label}")
        lines.append(root.certificate.public_bytes(Encoding.PEM).decode("ascii").strip())
        lines.append("")
    return "\n".join(lines)


def _write_atomically(path: Path, text: str) -> None:
    """Write beside the target and rename, so a failed run never leaves half a store behind."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
