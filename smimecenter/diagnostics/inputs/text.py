"""Inputs that are text (PEM in an email, base64, armour) or binary of an unknown kind."""

from __future__ import annotations

from . import der, keys, pem
from .blobs import read_der
from .collector import Collector
from .tlv import TlvError, read_element


def looks_like_der(data: bytes) -> bool:
    """A DER/BER SEQUENCE filling the whole blob (trailing NULs or whitespace from file padding allowed)."""
    if not data or data[0] != 0x30:
        return False
    try:
        end = read_element(data).end
    except TlvError:
        return False
    return not data[end:].strip(b"\x00\r\n \t")


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_text_or_binary(collector: Collector, data: bytes, origin: str) -> None:
    content = pem.normalise(decode_text(data))
    blocks = pem.find_blocks(content)
    if blocks:
        read_pem_blocks(collector, blocks, origin)
        return
    collector.unreadable(origin, "text with no certificate" if _is_text(data) else "unknown binary data")


def read_pem_blocks(collector: Collector, blocks: list[pem.PemBlock], origin: str) -> None:
    numbered = len(blocks) > 1
    for number, block in enumerate(blocks, start=1):
        where = f"{origin}, block {number}" if numbered else origin
        read_pem_block(collector, block, where)


def read_pem_block(collector: Collector, block: pem.PemBlock, origin: str) -> None:
    label = block.label
    if keys.is_private_key_label(label):
        encrypted = "Proc-Type" in block.headers or label == "ENCRYPTED PRIVATE KEY"
        keys.report_private_key(collector, origin, data=block.data, label=label, encrypted=encrypted)
        return
    if block.data is None:
        collector.unreadable(origin, f"damaged PEM block ({label})", block.problem)
        return
    if label in ("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE") and collector.certificates_full:
        collector.count_dropped_certificate()
        return
    payload = der.first_element_bytes(block.data) if label == "TRUSTED CERTIFICATE" else block.data
    read_der(collector, payload, origin, "pem")


def _is_text(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return False
    printable = sum(1 for byte in sample if byte >= 0x20 or byte in (9, 10, 13))
    return printable >= len(sample) * 0.95
