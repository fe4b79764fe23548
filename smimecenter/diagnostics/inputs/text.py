"""Inputs that are text (PEM in an email, bare base64, SSH or PGP armour) or binary of an unknown kind."""

from __future__ import annotations

import binascii

from . import der, events, keys, pem, sniff, ssh
from .blobs import read_der
from .collector import Collector
from .errors import PARSE_ERRORS
from .tlv import TlvError, read_element

_BASE64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
_URLSAFE_EXTRA = b"-_"
_IGNORED_IN_BASE64 = b" \t\r\n>"
_MIN_BARE_BASE64 = 64  # shorter runs are words, not a certificate

_CERTIFICATE_LABELS = ("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE")
_LABEL_KINDS = {
    "PUBLIC KEY": "public key without a certificate",
    "RSA PUBLIC KEY": "public key without a certificate",
    "X509 CRL": "certificate revocation list (CRL)",
    "EC PARAMETERS": "set of elliptic-curve parameters (not a key or certificate)",
    "DH PARAMETERS": "set of Diffie-Hellman parameters (not a key or certificate)",
}


def looks_like_der(data: bytes) -> bool:
    """A DER/BER SEQUENCE filling the whole blob (trailing NULs or whitespace from file padding allowed)."""
    if not data or data[0] != 0x30:
        return False
    try:
        end = read_element(data).end
    except TlvError:
        return False
    return not data[end:].strip(b"\x00\r\n \t")


def _leading_der(data: bytes) -> bytes | None:
    if not data or data[0] != 0x30:
        return None
    try:
        end = read_element(data).end
    except TlvError:
        return None
    leading = data[:end]
    return leading if der.classify(leading) != der.UNKNOWN else None


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_text_or_binary(collector: Collector, data: bytes, origin: str, *, nested: bool = False) -> None:
    is_text = sniff.is_text(data) or data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not is_text:
        leading = _leading_der(data)
        if leading is not None:  # a DER structure followed by padding or junk some tools append
            read_der(collector, leading, origin, "der")
            return
        if sniff.is_compound_file(data) and not nested:  # Outlook's .msg (never followed inside a message)
            from .msg import read_msg

            read_msg(collector, data, origin)
            return
        collector.unreadable(origin, sniff.guess_binary(data))
        return
    content = pem.normalise(decode_text(data))
    if not nested:
        from . import mime  # imported here: the message reader reads attachments through this module

        if mime.looks_like_message(content.lstrip("\r\n")):  # a copied message may start with a blank line
            mime.read_message(collector, data.lstrip(b"\r\n"), origin)
            return
    blocks = pem.find_blocks(content)
    if blocks:
        read_pem_blocks(collector, blocks, origin)
        return
    found = ssh.find_ssh_key(content)
    if found is not None:
        ssh.report_ssh_key(collector, origin, *found)
        return
    decoded = bare_base64(data)
    if decoded is not None and not nested:
        if looks_like_der(decoded):
            read_der(collector, decoded, origin, "der")
            return
        if decoded.lstrip().startswith(b"-----BEGIN"):  # base64 of a PEM file, as in Kubernetes secrets
            read_text_or_binary(collector, decoded, origin, nested=True)
            return
        collector.unreadable(origin, "text in base64 that holds no certificate")
        return
    collector.unreadable(origin, sniff.guess_text(content))


def bare_base64(data: bytes) -> bytes | None:
    """Decode a text that is nothing but base64 (line breaks, indentation and quoting allowed)."""
    allowed = _BASE64_ALPHABET + _URLSAFE_EXTRA + _IGNORED_IN_BASE64
    if data[:4096].translate(None, allowed):  # most text fails here, before the whole input is copied
        return None
    kept = data.translate(None, _IGNORED_IN_BASE64)
    if len(kept) < _MIN_BARE_BASE64 or kept.translate(None, _BASE64_ALPHABET + _URLSAFE_EXTRA):
        return None
    if b"-" in kept or b"_" in kept:  # the URL-safe alphabet (RFC 4648 5)
        kept = kept.replace(b"-", b"+").replace(b"_", b"/")
    body = kept.rstrip(b"=")
    if len(body) % 4 == 1:
        return None
    body += b"=" * (-len(body) % 4)
    try:
        return binascii.a2b_base64(body, strict_mode=False)
    except (binascii.Error, ValueError):
        return None


def read_pem_blocks(collector: Collector, blocks: list[pem.PemBlock], origin: str) -> None:
    numbered = len(blocks) > 1
    for number, block in enumerate(blocks, start=1):
        where = f"{origin}, block {number}" if numbered else origin
        read_pem_block(collector, block, where)


def read_pem_block(collector: Collector, block: pem.PemBlock, origin: str) -> None:
    label = block.label
    if label.startswith("PGP "):  # OpenPGP armour (RFC 9580 6.2) shares the dashes, not the meaning
        collector.event(events.INPUT_PGP_KEY, origin=origin, armour=label, private="PRIVATE" in label)
        return
    if label == "OPENSSH PRIVATE KEY":
        ssh.report_ssh_key(collector, origin, "OpenSSH private key", True)
        return
    if keys.is_private_key_label(label):
        encrypted = "Proc-Type" in block.headers or label == "ENCRYPTED PRIVATE KEY"
        keys.report_private_key(collector, origin, data=block.data, label=label, encrypted=encrypted)
        return
    if block.data is None:
        collector.unreadable(origin, f"damaged PEM block ({label})", block.problem)
        return
    if label in _CERTIFICATE_LABELS and collector.certificates_full:
        collector.count_dropped_certificate()
        return
    payload = der.first_element_bytes(block.data) if label == "TRUSTED CERTIFICATE" else block.data
    if label in _CERTIFICATE_LABELS:  # the common case, straight to the certificate parser
        try:
            certificate = der.load_certificate(payload)
        except PARSE_ERRORS:
            pass  # a bundle or a request under a certificate label: told apart below
        else:
            collector.certificate(certificate, origin, "pem")
            return
    kind = der.classify(payload)
    if kind == der.UNKNOWN:
        kind_name = _LABEL_KINDS.get(label, f"PEM block labelled {label[:40]!r} that holds no certificate")
        collector.unreadable(origin, kind_name)
        return
    read_der(collector, payload, origin, "pem", kind=kind)
