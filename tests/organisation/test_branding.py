"""The organisation's name and logo in the header, and the logo upload's validation."""
from __future__ import annotations

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from smimecenter.organisation.logo import MAX_LOGO_BYTES, LogoProblem, read_logo
from smimecenter.organisation.models import Organisation

pytestmark = pytest.mark.django_db


def png(width: int = 4, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpeg_header(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def test_the_header_shows_the_site_name_until_an_organisation_is_set(client: Client) -> None:
    body = client.get("/").content.decode()
    assert 'class="brand-mark"' in body and "ACME" not in body
    Organisation.objects.create(name="ACME")
    body = client.get("/").content.decode()
    assert "ACME · SMIME Center" in body


def test_the_logo_is_served_with_its_own_content_type_and_shown_in_the_header(client: Client) -> None:
    Organisation.objects.create(name="ACME", logo=png(), logo_content_type="image/png")
    response = client.get("/organisation/logo/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content == png()
    assert response["X-Content-Type-Options"] == "nosniff"
    assert '<img class="brand-logo" src="/organisation/logo/?v=' in client.get("/").content.decode()


def test_there_is_no_logo_until_one_is_uploaded(client: Client) -> None:
    assert client.get("/organisation/logo/").status_code == 404


def test_png_and_jpeg_sizes_are_read_from_their_headers() -> None:
    assert (read_logo(png(120, 40)).width, read_logo(png(120, 40)).height) == (120, 40)
    logo = read_logo(jpeg_header(300, 100))
    assert (logo.content_type, logo.width, logo.height) == ("image/jpeg", 300, 100)


@pytest.mark.parametrize("data, words", [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "PNG or JPEG"),
    (b"GIF89a" + b"\x00" * 20, "PNG or JPEG"),
    (png(5000, 10), "5000×10 pixels"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * (MAX_LOGO_BYTES + 1), "the limit is 200 KB"),
    (b"\x89PNG\r\n\x1a\nshort", "damaged"),
])
def test_anything_but_a_small_png_or_jpeg_is_refused_with_a_reason(data: bytes, words: str) -> None:
    with pytest.raises(LogoProblem, match=words):
        read_logo(data)


def test_the_admin_stores_an_uploaded_logo_and_can_remove_it(client: Client, admin_user) -> None:
    client.force_login(admin_user)
    response = client.post("/admin/organisation/organisation/add/", {
        "name": "ACME", "logo_upload": SimpleUploadedFile("logo.png", png(), content_type="image/png")})
    assert response.status_code == 302
    organisation = Organisation.load()
    assert bytes(organisation.logo) == png() and organisation.logo_content_type == "image/png"
    client.post(f"/admin/organisation/organisation/{organisation.pk}/change/", {"name": "ACME", "remove_logo": "on"})
    assert not Organisation.load().logo


def test_the_admin_explains_a_refused_logo(client: Client, admin_user) -> None:
    client.force_login(admin_user)
    response = client.post("/admin/organisation/organisation/add/", {
        "name": "ACME", "logo_upload": SimpleUploadedFile("logo.svg", b"<svg/>", content_type="image/svg+xml")})
    assert response.status_code == 200
    assert "The logo must be a PNG or JPEG image" in response.content.decode()
    assert not Organisation.objects.exists()
