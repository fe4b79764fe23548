"""Finding PEM blocks (RFC 7468) wherever they sit in a text: an email, a ticket, a chat log.

Blocks survive CRLF line ends, indentation, "> " mail quoting at any depth, literal "\\n" escapes (JSON)
and RFC 1421 headers. The scan only moves forward with str.find, so hostile text costs linear time.
"""

from __future__ import annotations

import binascii
import html
import re
from dataclasses import dataclass

BEGIN = "-----BEGIN "
END = "-----END "
DASHES = "-----"
MAX_LABEL = 64

# An HTML tag: no nesting and a bounded length, so the scan stays linear on hostile text.
_HTML_TAG = re.compile(r"<[^<>]{0,500}>")
_BASE64_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
_NOT_BASE64 = bytes(byte for byte in range(256) if byte not in _BASE64_BYTES)


@dataclass(frozen=True)
class PemBlock:
    label: str  # as written, upper-cased: "CERTIFICATE", "PKCS7", "RSA PRIVATE KEY", ...
    data: bytes | None  # the decoded body, or None when it could not be decoded
    headers: tuple[str, ...]  # RFC 1421 header lines ("Proc-Type: 4,ENCRYPTED"), names only kept
    problem: str | None  # why data is None: plain English
    start: int  # character offsets of the block in the text, for telling the rest apart
    end: int


def normalise(text: str) -> str:
    """Undo the escapes that turn a PEM block into one line (JSON, YAML, copied logs)."""
    if "\\n" in text and BEGIN in text:
        text = text.replace("\\r\\n", "\n").replace("\\n", "\n")
    return text


def find_blocks(text: str) -> list[PemBlock]:
    blocks: list[PemBlock] = []
    position = 0
    known_end = -2  # the last END found, reused while still ahead: keeps many BEGINs before one END linear
    while True:
        begin = text.find(BEGIN, position)
        if begin < 0:
            return blocks
        label_start = begin + len(BEGIN)
        label_end = text.find(DASHES, label_start, label_start + MAX_LABEL + len(DASHES))
        if label_end < 0:
            position = label_start
            continue
        label = text[label_start:label_end].strip().upper()
        body_start = label_end + len(DASHES)
        if known_end == -1 or known_end >= body_start:
            end = known_end
        else:
            end = known_end = text.find(END, body_start)
        next_begin = text.find(BEGIN, body_start, end if end >= 0 else len(text))
        if end < 0 or next_begin >= 0:
            stop = next_begin if next_begin >= 0 else len(text)
            blocks.append(PemBlock(label, None, (), "the block has no END line, so it was cut off", begin, stop))
            if next_begin < 0:
                return blocks
            position = next_begin
            continue
        end_label_end = text.find(DASHES, end + len(END), end + len(END) + MAX_LABEL + len(DASHES))
        block_end = end_label_end + len(DASHES) if end_label_end >= 0 else end + len(END)
        blocks.append(_decode(label, text[body_start:end], begin, block_end))
        position = block_end


def _decode(label: str, body: str, start: int, end: int) -> PemBlock:
    if "<" in body:  # pasted from a web page or an HTML mail: <br> and <div> between the lines
        body = _HTML_TAG.sub("\n", body)
    if "&" in body:  # "&#43;" for "+", "&#x2F;" for "/"
        body = html.unescape(body)
    headers: list[str] = []
    if ":" in body:  # RFC 1421 4.6 encapsulated headers, e.g. "Proc-Type: 4,ENCRYPTED"
        kept: list[str] = []
        for line in body.splitlines():
            if ":" in line:
                headers.append(line.split(":", 1)[0].lstrip(" \t>|").strip())
            else:
                kept.append(line)
        body = "\n".join(kept)
    # Keep only the base64 alphabet: drops quoting marks, indentation, CR and stray spaces.
    encoded = body.encode("ascii", errors="ignore").translate(None, _NOT_BASE64)
    if not encoded:
        return PemBlock(label, None, tuple(headers), "the block is empty", start, end)
    try:
        data = binascii.a2b_base64(encoded, strict_mode=False)
    except (binascii.Error, ValueError):
        return PemBlock(label, None, tuple(headers), "the block's base64 text is damaged", start, end)
    return PemBlock(label, data, tuple(headers), None, start, end)
