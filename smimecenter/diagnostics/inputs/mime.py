"""Whole email messages (.eml): find the S/MIME signature, the exact bytes it signs, and any certificates.

The stdlib email package reads headers; bodies are split on the raw bytes, because a multipart/signed
signature covers the first part exactly as transmitted (RFC 1847 2.1, RFC 8551 3.5.3) and any
re-serialisation could change it.
"""

from __future__ import annotations

import binascii
import quopri
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parseaddr

from . import der, events, pem, pkcs7
from .collector import Collector

MAX_PARTS_PER_MULTIPART = 200
MAX_ENTITIES_PER_MESSAGE = 1000
MAX_HEADER_LINES = 400
# RFC 5322 3.2.2 lets comments nest; the standard library's address parser recurses once per level and
# raises RecursionError near a thousand. Real headers nest one or two levels; deeper ones lose their comments.
MAX_COMMENT_DEPTH = 16
_MESSAGE_HEADERS = ("content-type", "mime-version")
_SIGNATURE_TYPES = ("application/pkcs7-signature", "application/x-pkcs7-signature")
_OPAQUE_TYPES = ("application/pkcs7-mime", "application/x-pkcs7-mime")
_CERTIFICATE_TYPES = (
    "application/pkix-cert", "application/x-x509-ca-cert", "application/x-x509-user-cert",
    "application/x-x509-email-cert", "application/pkcs7-certificates", "application/x-pkcs7-certificates",
    "application/x-pkcs12", "application/pkcs12", "application/x-pem-file",
)
_CERTIFICATE_SUFFIXES = (".cer", ".crt", ".pem", ".der", ".p7b", ".p7c", ".p12", ".pfx", ".p7s")
_NOT_BASE64 = bytes(
    byte for byte in range(256)
    if byte not in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)


def looks_like_message(text: str) -> bool:
    """Header lines from the very top, among them Content-Type or MIME-Version (RFC 5322 2.2, RFC 2045 4)."""
    names: set[str] = set()
    for number, line in enumerate(text[:65536].splitlines()):
        if number >= MAX_HEADER_LINES:
            break
        if not line.strip():
            break
        if number == 0 and line.startswith("From "):  # mbox separator line
            continue
        if line[:1] in (" ", "\t"):
            if not names:
                return False
            continue
        name, colon, _ = line.partition(":")
        if not colon or not name or any(ord(ch) < 33 or ord(ch) > 126 for ch in name):
            return False
        names.add(name.lower())
    return any(name in names for name in _MESSAGE_HEADERS)


@dataclass
class _Walk:
    collector: Collector
    origin: str
    signed: bool = False  # a signature (valid or not) or an S/MIME structure was found
    encrypted: bool = False
    too_deep: bool = False
    entities: int = 0
    layers: list[tuple[int, str]] = field(default_factory=list)  # (S/MIME nesting level, what it is)


def read_message(collector: Collector, data: bytes, origin: str) -> None:
    headers, _ = split_entity(data)
    top = _parse_headers(headers)
    from_address = _from_address(top)
    walk = _Walk(collector, origin)
    _walk(walk, data, 0, from_address, 0)
    if not walk.signed and not walk.encrypted:
        collector.event(events.MESSAGE_NOT_SIGNED, origin=origin, content_type=top.get_content_type(),
                        from_address=from_address)
    if any(level > 1 for level, _ in walk.layers):
        # RFC 8551 3.7: signing and encrypting may be applied in any order and repeated
        described = [f"{'inside it, ' if level > 1 else ''}{what}" for level, what in walk.layers]
        collector.event(events.MESSAGE_LAYERS, origin=origin, layers=described, summary="; ".join(described))


def split_entity(raw: bytes) -> tuple[bytes, bytes]:
    """Headers and body of a MIME entity, split at the first empty line (RFC 5322 2.1)."""
    if raw.startswith(b"\r\n"):
        return b"", raw[2:]
    if raw.startswith(b"\n"):
        return b"", raw[1:]
    crlf = raw.find(b"\r\n\r\n")
    lf = raw.find(b"\n\n")
    if crlf >= 0 and (lf < 0 or crlf + 1 <= lf):
        return raw[: crlf + 2], raw[crlf + 4 :]
    if lf >= 0:
        return raw[: lf + 1], raw[lf + 2 :]
    return raw, b""


def split_multipart(body: bytes, boundary: bytes) -> list[bytes]:
    """The raw bytes of each body part (RFC 2046 5.1.1): the line break before a delimiter belongs to it."""
    delimiter = b"--" + boundary
    parts: list[bytes] = []
    start: int | None = None
    position = 0
    while len(parts) < MAX_PARTS_PER_MULTIPART:
        found = body.find(delimiter, position)
        if found < 0:
            break
        after = found + len(delimiter)
        position = after
        if found > 0 and body[found - 1] != 0x0A:
            continue  # not at the start of a line
        closing = body[after : after + 2] == b"--"
        line_end = body.find(b"\n", after)
        rest = body[after + 2 if closing else after : line_end if line_end >= 0 else len(body)]
        if rest.strip(b" \t\r"):
            continue  # a longer boundary that merely starts with ours
        if start is not None:
            end = found - 2 if body[found - 2 : found] == b"\r\n" else found - 1
            parts.append(body[start : max(end, start)])
        if closing or line_end < 0:
            start = None
            break
        start = line_end + 1
    return parts


def canonical(content: bytes) -> bytes:
    """RFC 8551 3.1.1: text is signed with CRLF line ends, whatever the file on disk uses."""
    return content.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def decode_body(message: Message, body: bytes) -> bytes:
    encoding = str(message.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding == "base64":
        kept = body.translate(None, _NOT_BASE64)
        kept = kept[: len(kept) - len(kept) % 4] if len(kept) % 4 == 1 else kept
        try:
            return binascii.a2b_base64(kept + b"=" * (-len(kept) % 4), strict_mode=False)
        except (binascii.Error, ValueError):
            return b""
    if encoding == "quoted-printable":
        return quopri.decodestring(body)
    return body


def _parse_headers(headers: bytes) -> Message:
    return BytesHeaderParser(policy=compat32).parsebytes(headers)


def _from_address(message: Message) -> str | None:
    value = message.get("From")
    if value is None:
        return None
    text = str(value)
    if _comment_depth(text) > MAX_COMMENT_DEPTH:
        text = _without_comments(text)
    address = parseaddr(text)[1]
    return address or None


def _comment_depth(text: str) -> int:
    """How deep parentheses nest, in one pass (escapes and quoted strings are not told apart: a bound only)."""
    depth = deepest = 0
    for character in text:
        if character == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif character == ")" and depth:
            depth -= 1
    return deepest


def _without_comments(text: str) -> str:
    """The header with every parenthesised comment removed, in one pass (RFC 5322 3.2.2 comments)."""
    kept, depth, escaped = [], 0, False
    for character in text:
        if depth and escaped:
            escaped = False
        elif depth and character == "\\":
            escaped = True
        elif character == "(":
            depth += 1
        elif character == ")" and depth:
            depth -= 1
        elif not depth:
            kept.append(character)
    return "".join(kept)


def _walk(walk: _Walk, raw: bytes, depth: int, from_address: str | None, layer: int) -> None:
    """layer: how many S/MIME layers (signatures, encryption) enclose this entity."""
    collector = walk.collector
    if depth > collector.limits.max_mime_depth:
        if not walk.too_deep:
            walk.too_deep = True
            collector.event(events.INPUT_TOO_DEEP, origin=walk.origin, limit=collector.limits.max_mime_depth)
        return
    walk.entities += 1
    if walk.entities > MAX_ENTITIES_PER_MESSAGE:
        return
    headers, body = split_entity(raw)
    message = _parse_headers(headers)
    content_type = message.get_content_type()
    protocol = str(message.get_param("protocol", "") or "").lower()
    if content_type in ("multipart/signed", "multipart/encrypted") and "pgp" in protocol:
        # RFC 3156: PGP/MIME shares the multipart shape, not the certificates
        walk.signed = walk.signed or content_type == "multipart/signed"
        walk.encrypted = walk.encrypted or content_type == "multipart/encrypted"
        collector.event(events.INPUT_PGP_KEY, origin=walk.origin, private=False,
                        armour="PGP/MIME signature" if content_type == "multipart/signed" else "PGP/MIME encryption")
        return
    if content_type == "multipart/signed":
        _read_multipart_signed(walk, message, body, depth, from_address, layer + 1)
    elif content_type in _OPAQUE_TYPES:
        _read_opaque(walk, message, decode_body(message, body), depth, from_address, layer + 1)
    elif content_type.startswith("multipart/"):
        for part in split_multipart(body, _boundary(message)):
            _walk(walk, part, depth + 1, from_address, layer)
    elif content_type == "message/rfc822":
        inner_headers, _ = split_entity(body)
        inner_from = _from_address(_parse_headers(inner_headers)) or from_address
        _walk(walk, body, depth + 1, inner_from, layer)
    elif content_type in _SIGNATURE_TYPES:
        walk.signed = True
        pkcs7.read_signature(collector, decode_body(message, body), walk.origin, content=None, kind="p7s",
                             from_address=from_address, layer=layer + 1)
    elif _is_certificate_attachment(message, content_type):
        _read_attachment(walk, message, decode_body(message, body))
    elif content_type in ("text/plain", "text/html"):
        text = decode_body(message, body).decode("utf-8", errors="replace")
        blocks = pem.find_blocks(pem.normalise(text))
        if blocks:
            from .text import read_pem_blocks

            read_pem_blocks(collector, blocks, f"{walk.origin}, message text")


def _boundary(message: Message) -> bytes:
    boundary = message.get_boundary()
    return boundary.encode("utf-8", errors="replace") if boundary else b"\x00no boundary\x00"


def _read_multipart_signed(
    walk: _Walk, message: Message, body: bytes, depth: int, from_address: str | None, layer: int,
) -> None:
    """RFC 8551 3.5.3 / RFC 1847 2.1: first part the content, second the detached signature."""
    walk.signed = True
    walk.layers.append((layer, "a detached signature (multipart/signed)"))
    parts = split_multipart(body, _boundary(message))
    if len(parts) < 2:
        walk.collector.unreadable(walk.origin, "damaged signed message",
                                  "it is marked as signed but does not have both the content and the signature")
        return
    content, signature_part = parts[0], parts[1]
    signature_headers, signature_body = split_entity(signature_part)
    signature_message = _parse_headers(signature_headers)
    signature = decode_body(signature_message, signature_body)
    candidates = tuple(dict.fromkeys((canonical(content), content)))
    pkcs7.read_signature(walk.collector, signature, walk.origin, content=candidates, kind="multipart/signed",
                         from_address=from_address, layer=layer)
    # The From header belongs to this signature; one nested inside may be someone else's (a signed
    # message signed again by a forwarder), and only a message/rfc822 part brings a From of its own.
    _walk(walk, content, depth + 1, None, layer)


def _read_opaque(
    walk: _Walk, message: Message, payload: bytes, depth: int, from_address: str | None, layer: int,
) -> None:
    smime_type = str(message.get_param("smime-type", "") or "").lower()
    kind = der.classify(payload)
    if smime_type in ("enveloped-data", "authenveloped-data") or kind == der.PKCS7_ENVELOPED:
        walk.encrypted = True
        walk.layers.append((layer, "an encrypted part (application/pkcs7-mime)"))
        if layer > 1:
            reason = ("this part was encrypted and then signed; the signature around it is checked, but only "
                      "the recipient's private key can open what is inside")
        else:
            # RFC 8551 3.7: mail apps usually sign first and then encrypt, hiding the signature inside
            reason = ("the message is encrypted, and mail apps usually sign before they encrypt, so its "
                      "signature and the certificates it carries are inside, where only the recipient's "
                      "private key can reach them. Open the message in your mail app and save the decrypted "
                      "message as .eml to check its signature")
        walk.collector.unreadable(walk.origin, "encrypted message", reason)
        return
    walk.signed = True
    if smime_type != "certs-only":
        walk.layers.append((layer, "an opaque signature (application/pkcs7-mime)"))
    if smime_type == "certs-only":  # RFC 8551 3.6: a message that only carries certificates
        pkcs7.read_signed_data(walk.collector, payload, walk.origin)
        return
    if kind != der.PKCS7_SIGNED:
        walk.collector.unreadable(walk.origin, "damaged signed message", "its S/MIME part cannot be read")
        return
    inner = pkcs7.read_signature(walk.collector, payload, walk.origin, content=None,
                                 kind="application/pkcs7-mime", from_address=from_address, layer=layer)
    if inner:
        _walk(walk, inner, depth + 1, None, layer)  # as for multipart/signed: the From was this signature's


def _is_certificate_attachment(message: Message, content_type: str) -> bool:
    if content_type in _CERTIFICATE_TYPES:
        return True
    filename = message.get_filename() or ""
    return filename.lower().endswith(_CERTIFICATE_SUFFIXES)


def _read_attachment(walk: _Walk, message: Message, payload: bytes) -> None:
    from .blobs import read_der
    from .text import looks_like_der, read_text_or_binary

    name = (message.get_filename() or "unnamed")[:100]
    where = f"{walk.origin}, attachment {name}"
    if not payload.strip():
        walk.collector.event(events.INPUT_EMPTY, origin=where)
    elif looks_like_der(payload):
        read_der(walk.collector, payload, where, "der")
    else:
        read_text_or_binary(walk.collector, payload, where, nested=True)
