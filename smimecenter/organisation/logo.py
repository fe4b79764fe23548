"""Checking an uploaded logo without an imaging library: the file's own header says what it is.

Only PNG and JPEG are accepted. SVG is refused on purpose: it is a document that can carry
scripts and links, and the logo is served from the site's own origin.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

MAX_LOGO_BYTES = 200 * 1024
MAX_SIDE_PIXELS = 2000

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"


class LogoProblem(ValueError):
    """The upload is not a small PNG or JPEG; the message says what to do."""


@dataclass(frozen=True)
class Logo:
    data: bytes
    content_type: str
    width: int
    height: int


def read_logo(data: bytes) -> Logo:
    if len(data) > MAX_LOGO_BYTES:
        raise LogoProblem(f"The logo is {len(data) // 1024} KB; the limit is {MAX_LOGO_BYTES // 1024} KB. "
                          "A header logo needs no more than about 200 pixels across.")
    if data.startswith(PNG_SIGNATURE):
        width, height = _png_size(data)
        content_type = "image/png"
    elif data.startswith(JPEG_SIGNATURE):
        width, height = _jpeg_size(data)
        content_type = "image/jpeg"
    else:
        raise LogoProblem("The logo must be a PNG or JPEG image. SVG and other formats are not accepted.")
    if not (0 < width <= MAX_SIDE_PIXELS and 0 < height <= MAX_SIDE_PIXELS):
        raise LogoProblem(f"The logo is {width}×{height} pixels; each side must be between 1 and "
                          f"{MAX_SIDE_PIXELS} pixels.")
    return Logo(data, content_type, width, height)


def _png_size(data: bytes) -> tuple[int, int]:
    # PNG specification 11.2.2: IHDR is the first chunk; width and height are its first 8 bytes.
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise LogoProblem("This PNG file is damaged (no image header). Export the logo again.")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# JPEG start-of-frame markers (ITU-T T.81 table B.1), all but DHT (C4), JPG (C8) and DAC (CC).
_SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(data: bytes) -> tuple[int, int]:
    index = 2
    while index + 4 <= len(data):
        if data[index] != 0xFF:
            break
        marker = data[index + 1]
        if marker == 0xFF:          # fill byte before a marker
            index += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:   # markers without a length
            index += 2
            continue
        (length,) = struct.unpack(">H", data[index + 2:index + 4])
        if marker in _SOF_MARKERS:
            if index + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[index + 5:index + 9])
            return width, height
        index += 2 + length
    raise LogoProblem("This JPEG file is damaged (no frame header). Export the logo again.")
