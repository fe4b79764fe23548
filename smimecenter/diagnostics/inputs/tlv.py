"""A tiny, bounded reader of DER/BER tag-length-value headers, used only to tell formats apart.

Real parsing is left to asn1crypto and cryptography; this only peeks at the outer shape so that each
blob goes to the one parser that fits, without trying every parser on hostile bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_NESTING = 32  # skipping an indefinite-length element recurses; hostile nesting stops here


class TlvError(ValueError):
    """The bytes do not hold a well-formed element where one was expected."""


@dataclass(frozen=True)
class Element:
    tag: int  # the first identifier octet (class, constructed bit and low tag number)
    start: int  # offset of the identifier octet
    content_start: int
    content_end: int  # for indefinite length: offset of the end-of-contents octets
    end: int  # offset just past the element (past the end-of-contents octets when indefinite)

    @property
    def constructed(self) -> bool:
        return bool(self.tag & 0x20)


def read_element(data: bytes, offset: int = 0, *, depth: int = 0) -> Element:
    """Read one element starting at offset (X.690 8.1); indefinite lengths are followed to their end."""
    if depth > MAX_NESTING:
        raise TlvError("nesting too deep")
    size = len(data)
    if offset + 2 > size:
        raise TlvError("truncated header")
    tag = data[offset]
    position = offset + 1
    if tag & 0x1F == 0x1F:  # high tag number form: skip the base-128 tag octets
        while True:
            if position >= size:
                raise TlvError("truncated tag")
            octet = data[position]
            position += 1
            if not octet & 0x80:
                break
            if position - offset > 6:
                raise TlvError("tag number too long")
    if position >= size:
        raise TlvError("truncated length")
    first = data[position]
    position += 1
    if first < 0x80:
        length = first
    elif first == 0x80:
        if not tag & 0x20:
            raise TlvError("indefinite length on a primitive element")
        cursor = position
        while True:
            if cursor + 2 > size:
                raise TlvError("missing end-of-contents")
            if data[cursor] == 0 and data[cursor + 1] == 0:
                return Element(tag, offset, position, cursor, cursor + 2)
            cursor = read_element(data, cursor, depth=depth + 1).end
    else:
        count = first & 0x7F
        if count > 4 or position + count > size:
            raise TlvError("unusable length")
        length = int.from_bytes(data[position : position + count], "big")
        position += count
    end = position + length
    if end > size:
        raise TlvError("truncated content")
    return Element(tag, offset, position, end, end)


def children(data: bytes, parent: Element, *, limit: int = 12) -> list[Element]:
    """The first few elements inside a constructed element."""
    found: list[Element] = []
    cursor = parent.content_start
    while cursor < parent.content_end and len(found) < limit:
        element = read_element(data, cursor)
        found.append(element)
        cursor = element.end
    return found


def content(data: bytes, element: Element) -> bytes:
    return data[element.content_start : element.content_end]
