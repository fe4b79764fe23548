"""Readers of Mozilla's root list, in the three forms it can be had offline.

Mozilla marks each root with separate trust bits; only the email-protection bit matters for S/MIME, and it
differs from the TLS bit (some roots are trusted for email only, others for websites only). Each reader yields
every root it sees with that bit, so a caller can count what it leaves out. No Django here: the build command
wraps these readers.
"""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.utils import CryptographyDeprecationWarning

__all__ = [
    "SourceRoot",
    "TrustSourceError",
    "NssBuiltins",
    "find_nssckbi",
    "load_nss_builtins",
    "read_nss_builtins",
    "read_certdata",
    "read_ccadb_csv",
]


class SourceRoot(NamedTuple):
    certificate: x509.Certificate
    email_trusted: bool
    label: str
    # Mozilla stops trusting some roots for certificates issued after a date (certdata.txt and the CCADB report
    # carry it; the NSS tools do not show it).
    email_distrust_after: datetime | None = None


class TrustSourceError(Exception):
    """A root list could not be read; the message says why in words a maintainer can act on."""


# ---------------------------------------------------------------------------------------------------------
# (a) NSS builtin token through certutil and modutil
# ---------------------------------------------------------------------------------------------------------

_BUILTIN_TOKEN = "Builtin Object Token"
_NSSCKBI_PLACES = (
    "/usr/lib/x86_64-linux-gnu/libnssckbi.so",
    "/usr/lib/aarch64-linux-gnu/libnssckbi.so",
    "/usr/lib64/libnssckbi.so",
    "/usr/lib/libnssckbi.so",
    "/usr/lib/x86_64-linux-gnu/nss/libnssckbi.so",
    "/usr/lib64/nss/libnssckbi.so",
)
# One line of `certutil -L -h all`: nickname, then the three trust fields "SSL,S/MIME,JAR/XPI". Flags are
# letters from certutil's small alphabet, so a nickname that merely contains commas is not mistaken for them.
_TRUST_LINE = re.compile(r"^(?P<nickname>.*?)\s+(?P<ssl>[pPcCTuUwkKsSgGiIvV]*),(?P<email>[pPcCTuUwkKsSgGiIvV]*),"
                         r"(?P<jar>[pPcCTuUwkKsSgGiIvV]*)\s*$")
_LIBRARY_VERSION = re.compile(r"library-version=([0-9.]+)")
_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----")


@dataclass
class NssBuiltins:
    """What the builtin token holds, with the versions that say how old the list is."""

    library: Path
    nss_version: str | None          # version of the NSS tools that read the module
    builtins_version: str | None     # version of the root list itself (NSS_BUILTINS_LIBRARY_VERSION)
    package: str | None              # Debian package and version owning the module, when dpkg knows it
    roots: list[SourceRoot] = field(default_factory=list)


def find_nssckbi() -> Path:
    """Locate the module that carries Mozilla's builtin roots."""
    for place in _NSSCKBI_PLACES:
        if Path(place).is_file():
            return Path(place)
    dpkg = shutil.which("dpkg")
    if dpkg:
        listed = _run([dpkg, "-L", "libnss3"], timeout=30, check=False)
        for line in listed.splitlines():
            if line.endswith("/libnssckbi.so") and Path(line).is_file():
                return Path(line)
    raise TrustSourceError(
        "libnssckbi.so (NSS's builtin root module) was not found; install the libnss3 package or pass its path."
    )


def load_nss_builtins(library: Path | str | None = None, *, timeout: float = 60.0) -> NssBuiltins:
    """Read every builtin root with its email trust flag, using a throw-away NSS database."""
    certutil = shutil.which("certutil")
    modutil = shutil.which("modutil")
    if not certutil or not modutil:
        raise TrustSourceError(
            "certutil and modutil (the NSS tools) are needed to read the builtin roots; on Debian install "
            "libnss3-tools."
        )
    module = Path(library) if library is not None else find_nssckbi()
    if not module.is_file():
        raise TrustSourceError(f"{module} does not exist; give the path of a libnssckbi.so file.")
    with tempfile.TemporaryDirectory(prefix="nss-builtins-") as directory:
        database = f"sql:{directory}"
        _run([certutil, "-N", "-d", database, "--empty-password"], timeout=timeout)
        # modutil asks for confirmation unless -force; the empty stdin answers any leftover prompt.
        _run([modutil, "-dbdir", database, "-add", "Builtins", "-libfile", str(module.resolve()), "-force"],
             timeout=timeout)
        versions = _module_versions(_run([modutil, "-dbdir", database, "-list"], timeout=timeout))
        listing = _run([certutil, "-L", "-d", database, "-h", "all"], timeout=timeout)
        flags_by_nickname = _parse_trust_listing(listing)
        roots: list[SourceRoot] = []
        for nickname, email_flags in flags_by_nickname.items():
            pem = _run([certutil, "-L", "-d", database, "-n", nickname, "-a"], timeout=timeout)
            certificates = [_load_certificate(block) for block in _PEM_BLOCK.findall(pem.encode())]
            if not certificates:
                raise TrustSourceError(f"certutil printed no certificate for {nickname!r}.")
            trusted = _email_trust_per_certificate(certutil, database, nickname, certificates, email_flags, timeout)
            label = nickname.split(":", 1)[1] if nickname.startswith(_BUILTIN_TOKEN + ":") else nickname
            roots.extend(SourceRoot(cert, is_trusted, label) for cert, is_trusted in zip(certificates, trusted))
    if not roots:
        raise TrustSourceError(f"The builtin token in {module} listed no certificate; is it really libnssckbi.so?")
    return NssBuiltins(
        library=module,
        nss_version=versions.get("internal"),
        builtins_version=versions.get("builtins"),
        package=_debian_package_of(module),
        roots=roots,
    )


def read_nss_builtins(library: Path | str | None = None, *, timeout: float = 60.0) -> Iterator[SourceRoot]:
    yield from load_nss_builtins(library, timeout=timeout).roots


def _email_is_trusted_ca(flags: str) -> bool:
    # certutil: "C" = trusted CA (to issue certificates for this use); "c" alone is merely a valid CA.
    return "C" in flags


def _parse_trust_listing(listing: str) -> dict[str, list[str]]:
    """Nickname -> the email trust fields of its lines, in order (one nickname can name several roots)."""
    flags: dict[str, list[str]] = {}
    for line in listing.splitlines():
        if not line.startswith(_BUILTIN_TOKEN + ":"):
            continue
        match = _TRUST_LINE.match(line)
        if match is None:
            raise TrustSourceError(f"Unexpected line in certutil's listing: {line!r}")
        flags.setdefault(match["nickname"], []).append(match["email"])
    return flags


def _email_trust_per_certificate(certutil: str, database: str, nickname: str,
                                 certificates: list[x509.Certificate], email_flags: list[str],
                                 timeout: float) -> list[bool]:
    """Trust for each certificate behind a nickname, resolving shared nicknames by fingerprint."""
    verdicts = {_email_is_trusted_ca(flags) for flags in email_flags}
    if len(verdicts) == 1 and len(email_flags) == len(certificates):
        return [verdicts.pop()] * len(certificates)
    # Several roots share this nickname and disagree: ask for the detailed listing, which gives each
    # certificate's SHA-256 fingerprint next to its email trust flags.
    detail = _run([certutil, "-L", "-d", database, "-n", nickname], timeout=timeout)
    by_fingerprint = _parse_detailed_email_trust(detail)
    trusted = []
    for certificate in certificates:
        fingerprint = certificate.fingerprint(hashes.SHA256()).hex()
        if fingerprint not in by_fingerprint:
            raise TrustSourceError(f"Could not tell the email trust of one of the roots named {nickname!r}.")
        trusted.append(by_fingerprint[fingerprint])
    return trusted


def _parse_detailed_email_trust(detail: str) -> dict[str, bool]:
    result: dict[str, bool] = {}
    fingerprint: str | None = None
    lines = detail.splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped == "Fingerprint (SHA-256):" and index + 1 < len(lines):
            fingerprint = lines[index + 1].strip().replace(":", "").lower()
        elif stripped == "Email Flags:" and fingerprint is not None:
            words = []
            for following in lines[index + 1:]:
                if following.strip().endswith("Flags:") or following.strip() == "" or following.startswith(
                        "Certificate:"):
                    break
                words.append(following.strip())
            result[fingerprint] = "Trusted CA" in words
            fingerprint = None
    return result


def _module_versions(listing: str) -> dict[str, str]:
    """Versions from `modutil -list`: the internal module gives the NSS version, Builtins the root list's."""
    versions: dict[str, str] = {}
    current: str | None = None
    for line in listing.splitlines():
        stripped = line.strip()
        header = re.match(r"^\d+\.\s+(.*)$", stripped)
        if header:
            module_name = header.group(1)
            current = "builtins" if module_name == "Builtins" else "internal" if "Internal" in module_name else None
            continue
        version = _LIBRARY_VERSION.search(stripped)
        if version and current and current not in versions and stripped.startswith("uri:"):
            versions[current] = version.group(1)
    return versions


def _debian_package_of(module: Path) -> str | None:
    dpkg_query = shutil.which("dpkg-query")
    if not dpkg_query:
        return None
    owner = _run([dpkg_query, "-S", str(module)], timeout=30, check=False).strip()
    if not owner or ":" not in owner:
        return None
    package = owner.split(": ", 1)[0].split(",")[0].strip()
    version = _run([dpkg_query, "-W", "-f", "${Version}", package], timeout=30, check=False).strip()
    return f"{package} {version}".strip()


def _run(command: list[str], *, timeout: float, check: bool = True) -> str:
    try:
        completed = subprocess.run(command, input="", capture_output=True, text=True, timeout=timeout,
                                   check=False)
    except subprocess.TimeoutExpired as error:
        raise TrustSourceError(f"{Path(command[0]).name} did not finish within {timeout:g} s.") from error
    except OSError as error:
        raise TrustSourceError(f"Could not run {command[0]}: {error}") from error
    if check and completed.returncode != 0:
        message = (completed.stderr or completed.stdout).strip().splitlines()
        raise TrustSourceError(
            f"{Path(command[0]).name} failed (exit {completed.returncode}): {message[-1] if message else 'no output'}"
        )
    return completed.stdout


# ---------------------------------------------------------------------------------------------------------
# (b) Mozilla's certdata.txt (the NSS source of the builtin module)
# ---------------------------------------------------------------------------------------------------------

_CERTIFICATE_CLASS = "CKO_CERTIFICATE"
_TRUST_CLASSES = {"CKO_NSS_TRUST", "CKO_TRUST"}   # the NSS vendor class, and PKCS #11 3.2's standard one
_EMAIL_ANCHOR_VALUES = {"CKT_NSS_TRUSTED_DELEGATOR", "CKT_TRUST_ANCHOR"}
_OCTAL_ESCAPE = re.compile(r"\\([0-7]{3})")


def read_certdata(text: str) -> Iterator[SourceRoot]:
    """Roots of a certdata.txt, each with its email bit taken from the trust object of the same issuer+serial."""
    certificates: list[dict[str, object]] = []
    trust: dict[tuple[bytes, bytes], dict[str, object]] = {}
    for attributes in _certdata_objects(text):
        kind = attributes.get("CKA_CLASS")
        if kind == _CERTIFICATE_CLASS:
            if "CKA_VALUE" not in attributes:
                raise TrustSourceError(f"Certificate object {attributes.get('CKA_LABEL')!r} has no CKA_VALUE.")
            certificates.append(attributes)
        elif kind in _TRUST_CLASSES:
            issuer, serial = attributes.get("CKA_ISSUER"), attributes.get("CKA_SERIAL_NUMBER")
            if isinstance(issuer, bytes) and isinstance(serial, bytes):
                trust[(issuer, serial)] = attributes
    if not certificates:
        raise TrustSourceError("No CKO_CERTIFICATE object found: this does not look like certdata.txt.")
    for attributes in certificates:
        value = attributes["CKA_VALUE"]
        assert isinstance(value, bytes)
        try:
            certificate = _load_certificate(value)
        except ValueError as error:
            raise TrustSourceError(f"Certificate {attributes.get('CKA_LABEL')!r} is not valid DER: {error}") from error
        issuer = attributes.get("CKA_ISSUER")
        serial = attributes.get("CKA_SERIAL_NUMBER")
        if not isinstance(issuer, bytes):
            issuer = certificate.issuer.public_bytes()
        if not isinstance(serial, bytes):
            serial = _der_integer(certificate.serial_number)
        trust_object = trust.get((issuer, serial), {})
        email_trusted = trust_object.get("CKA_TRUST_EMAIL_PROTECTION") in _EMAIL_ANCHOR_VALUES
        label = str(attributes.get("CKA_LABEL") or _common_name(certificate))
        yield SourceRoot(certificate, email_trusted, label,
                         _distrust_after(attributes.get("CKA_NSS_EMAIL_DISTRUST_AFTER")))


def _certdata_objects(text: str) -> Iterator[dict[str, object]]:
    """Split certdata.txt into objects; a new object starts at each CKA_CLASS line."""
    current: dict[str, object] | None = None
    lines = iter(text.splitlines())
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#") or line == "BEGINDATA":
            continue
        parts = line.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith("CKA_"):
            continue
        name, kind = parts[0], parts[1]
        if kind == "MULTILINE_OCTAL":
            value: object = _read_multiline_octal(lines, name)
        elif kind == "UTF8":
            value = _utf8_string(parts[2] if len(parts) > 2 else '""')
        else:
            value = parts[2] if len(parts) > 2 else ""
        if name == "CKA_CLASS":
            if current is not None:
                yield current
            current = {}
        if current is not None:
            current[name] = value
    if current is not None:
        yield current


def _read_multiline_octal(lines: Iterator[str], name: str) -> bytes:
    data = bytearray()
    for raw in lines:
        line = raw.strip()
        if line == "END":
            return bytes(data)
        data.extend(int(digits, 8) for digits in _OCTAL_ESCAPE.findall(line))
    raise TrustSourceError(f"{name}: MULTILINE_OCTAL value without its closing END line.")


def _utf8_string(quoted: str) -> str:
    inner = quoted.strip()
    if len(inner) >= 2 and inner[0] == inner[-1] == '"':
        inner = inner[1:-1]
    raw = _OCTAL_ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), inner)
    # Octal escapes stand for UTF-8 bytes; recombine them when they form valid UTF-8.
    try:
        return raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return raw


def _distrust_after(value: object) -> datetime | None:
    """CKA_NSS_EMAIL_DISTRUST_AFTER is CK_FALSE or the bytes of a UTCTime such as 221130000000Z."""
    if not isinstance(value, bytes):
        return None
    try:
        return datetime.strptime(value.decode("ascii"), "%y%m%d%H%M%SZ").replace(tzinfo=timezone.utc)
    except (UnicodeDecodeError, ValueError):
        return None


def _der_integer(number: int) -> bytes:
    body = number.to_bytes(max(1, (number.bit_length() + 8) // 8), "big", signed=True) if number else b"\x00"
    return bytes([0x02]) + _der_length(len(body)) + body


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    encoded = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(encoded)]) + encoded


def _load_certificate(data: bytes) -> x509.Certificate:
    """PEM or DER; quiet about the serial number 0 that a few long-standing Mozilla roots carry."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        if data.startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)


def _common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    if names:
        return str(names[0].value)
    return certificate.subject.rfc4514_string()


# ---------------------------------------------------------------------------------------------------------
# (c) CCADB CSV report of Mozilla's included roots
# ---------------------------------------------------------------------------------------------------------

def read_ccadb_csv(text: str) -> Iterator[SourceRoot]:
    """Rows of a CCADB report with a trust-bits column ("Email;Websites") and a PEM column."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        raise TrustSourceError("The CCADB CSV file is empty.") from None
    columns = [name.strip().lower() for name in header]
    trust_column = _find_column(columns, header, ("trust bits",), "trust bits (e.g. \"Trust Bits\")")
    pem_column = _find_column(columns, header, ("pem info", "pem"), "PEM certificate (e.g. \"PEM Info\")")
    name_column = _optional_column(columns, ("common name or certificate name", "root certificate name",
                                             "certificate name", "common name"))
    distrust_column = _optional_column(columns, ("distrust for s/mime after date",))
    for row_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(trust_column, pem_column):
            raise TrustSourceError(f"Row {row_number} of the CCADB CSV has fewer columns than its header.")
        blocks = _PEM_BLOCK.findall(row[pem_column].encode())
        if not blocks:
            raise TrustSourceError(f"Row {row_number} of the CCADB CSV has no PEM certificate.")
        try:
            certificate = _load_certificate(blocks[0])
        except ValueError as error:
            raise TrustSourceError(f"Row {row_number} of the CCADB CSV holds an unreadable certificate: {error}") from error
        bits = {bit.strip().lower() for bit in re.split(r"[;,]", row[trust_column])}
        label = row[name_column].strip() if name_column is not None and len(row) > name_column else ""
        distrust = _ccadb_date(row[distrust_column]) if distrust_column is not None and len(
            row) > distrust_column else None
        yield SourceRoot(certificate, "email" in bits, label or _common_name(certificate), distrust)


def _find_column(columns: list[str], header: list[str], wanted: Iterable[str], description: str) -> int:
    found = _optional_column(columns, wanted)
    if found is None:
        raise TrustSourceError(
            f"The CCADB CSV has no column for the {description}; its columns are: "
            + ", ".join(repr(name) for name in header)
        )
    return found


def _optional_column(columns: list[str], wanted: Iterable[str]) -> int | None:
    wanted = tuple(wanted)
    for name in wanted:          # an exact header first, then one that contains the words
        if name in columns:
            return columns.index(name)
    for name in wanted:
        for index, column in enumerate(columns):
            if name in column:
                return index
    return None


def _ccadb_date(value: str) -> datetime | None:
    value = value.strip()
    for pattern in ("%Y.%m.%d", "%Y-%m-%d", "%Y %b %d"):
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    return None
