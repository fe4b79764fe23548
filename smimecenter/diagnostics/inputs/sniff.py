"""A plain guess at what an unusable input looks like, so the person hears more than "unreadable"."""

from __future__ import annotations

OLE_COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # [MS-CFB] 2.2: Outlook's .msg, older Office files

_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (OLE_COMPOUND_FILE, "Outlook message (.msg) or older Office document"),
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x1f\x8b", "gzip-compressed file"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"MZ", "Windows program"),
    (b"\x7fELF", "Linux program"),
    (b"\xfe\xed\xfe\xed", "Java keystore (JKS)"),
    (b"\xce\xce\xce\xce", "Java keystore (JCEKS)"),
)

# Files inside a ZIP container that betray an Office document (ECMA-376 part names)
_ZIP_MEMBERS: tuple[tuple[bytes, str], ...] = (
    (b"word/", "Word document"),
    (b"xl/", "Excel workbook"),
    (b"ppt/", "PowerPoint presentation"),
    (b"META-INF/MANIFEST.MF", "Java archive (JAR)"),
    (b"mimetypeapplication/vnd.oasis.opendocument", "OpenDocument file"),
)


def is_compound_file(data: bytes) -> bool:
    """An OLE compound file: an Outlook .msg is one, and inputs/msg.py reads it."""
    return data.startswith(OLE_COMPOUND_FILE)


def guess_binary(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        head = data[:65536]
        for member, name in _ZIP_MEMBERS:
            if member in head:
                return name
        return "ZIP archive"
    for signature, name in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return name
    return "unknown binary data"


def guess_text(text: str) -> str:
    head = text[:2048].lstrip().lower()
    if head.startswith("<!doctype html") or head.startswith("<html") or "<body" in head or "<head" in head:
        return "HTML page"
    if head.startswith("<?xml"):
        return "XML document"
    if head.startswith("{\\rtf"):
        return "RTF document"
    if head.startswith(("{", "[")):
        return "JSON or other structured text with no certificate"
    if "-----begin" in head or "-----end" in head:
        return "text with a damaged PEM block"
    return "text with no certificate"


def is_text(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as problem:
        if problem.start < len(sample) - 4:  # a character cut at the sample's end is still text
            printable = sum(1 for byte in sample if byte >= 0x20 or byte in (9, 10, 13))
            return printable >= len(sample) * 0.95 and not any(byte < 0x09 for byte in sample)
    return True
