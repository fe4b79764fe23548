"""What is sent is never kept, certificate text is never markup, and the page keeps to its CSP."""
from __future__ import annotations

import logging
import os
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import connection

from .certificates import HOSTILE_CN, HOSTILE_EMAIL, HOSTILE_POLICY_TEXT, HOSTILE_URL, P12_PASSWORD, pem

pytestmark = pytest.mark.django_db

URL = "/tools/diagnose/"


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def files_under(directory: str) -> dict[str, float]:
    found = {}
    for root, _, names in os.walk(directory):
        for name in names:
            path = os.path.join(root, name)
            try:
                found[path] = os.stat(path).st_mtime
            except OSError:
                continue
    return found


def database_text() -> str:
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


def cache_text() -> str:
    # The local-memory cache keeps pickled values in a module-level dict; read every entry.
    store = getattr(cache, "_cache", {})
    return "\n".join(repr(key) + repr(value) for key, value in store.items())


def test_nothing_secret_is_stored_in_the_database_the_cache_the_logs_or_on_disk(client, certs, caplog):
    temp_before = files_under(tempfile.gettempdir())
    marker_pem = certs.chain.leaf.pem.decode().splitlines()[3]
    caplog.set_level(logging.DEBUG)
    response = client.post(URL, follow=True, data={"text": certs.chain.supplied_pem.decode(),
                                 "file": upload("alice.p12", certs.p12 + b"\0" * (3 * 1024 * 1024 // 2)),
                                 "password": P12_PASSWORD})
    assert response.status_code in (200, 413)
    response = client.post(URL, follow=True, data={"text": certs.chain.supplied_pem.decode(),
                                                   "file": upload("alice.p12", certs.p12), "password": P12_PASSWORD})
    assert response.status_code == 200
    # The result is kept in the cache for Back and refresh (results.py): the report, which holds public
    # certificates, but never the password or the .p12 file that carried the private key.
    assert marker_pem in cache_text()
    stored = database_text() + cache_text() + "\n".join(r.getMessage() for r in caplog.records)
    assert P12_PASSWORD not in stored
    assert "PRIVATE KEY" not in stored
    assert repr(certs.p12[:64])[2:-1] not in stored
    logged = database_text() + "\n".join(r.getMessage() for r in caplog.records)
    assert marker_pem not in logged
    assert "alice@example.com" not in logged
    new_files = set(files_under(tempfile.gettempdir())) - set(temp_before)
    for path in new_files:
        try:
            content = Path(path).read_bytes() if os.path.getsize(path) < 10_000_000 else b""
        except OSError:   # another process's temporary file, gone since the listing (the machine is shared)
            continue
        assert certs.p12[:64] not in content and marker_pem.encode() not in content, path
    assert not response.cookies.get("sessionid")


def test_uploads_are_kept_in_memory_even_when_large(client, certs, settings, monkeypatch):
    # Django writes uploads over FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file; ours never does.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10

    def refuse(*args, **kwargs):
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", refuse)
    response = client.post(URL, follow=True, data={"file": upload("alice.p12", certs.p12), "password": P12_PASSWORD})
    assert response.status_code == 200
    assert "alice@example.com" in response.content.decode()


@pytest.fixture
def hostile_page(client, certs) -> str:
    response = client.post(URL, follow=True, data={"text": pem(certs.hostile, certs.chain.intermediate).decode()})
    assert response.status_code == 200
    return response.content.decode()


def test_markup_in_certificate_fields_is_escaped(hostile_page):
    assert "<script>alert('cn')</script>" not in hostile_page
    assert "&lt;script&gt;alert(" in hostile_page
    assert "<img src=x" not in hostile_page
    assert "<svg onload" not in hostile_page
    assert "<iframe" not in hostile_page


def test_javascript_urls_from_certificates_never_become_links(hostile_page):
    assert not re.search(r'(href|src|action|xlink:href)\s*=\s*"\s*javascript:', hostile_page, re.I)
    assert HOSTILE_URL in hostile_page  # shown, as text


def test_control_and_direction_characters_are_made_visible(hostile_page):
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202e]", hostile_page)
    assert "\\x07" in hostile_page and "\\u202e" in hostile_page


def test_policy_explicit_text_never_reaches_the_page_as_markup(hostile_page):
    assert HOSTILE_POLICY_TEXT not in hostile_page
    assert "<iframe" not in hostile_page


def test_the_hostile_address_is_shown_escaped(hostile_page):
    assert HOSTILE_EMAIL not in hostile_page
    assert "&lt;img src=x onerror=alert(1)&gt;@example.com" in hostile_page


def test_the_svg_pictures_carry_escaped_text_only(hostile_page):
    for picture in re.findall(r"<svg.*?</svg>", hostile_page, re.S):
        assert "<script" not in picture and "style=" not in picture
        assert HOSTILE_CN not in picture


@pytest.mark.parametrize("path", ["/tools/diagnose/", "/api/", "/"])
def test_pages_keep_to_the_content_security_policy(client, path):
    response = client.get(path)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert_no_inline_code(response.content.decode())


def test_the_result_page_keeps_to_the_content_security_policy(client, certs, hostile_page):
    assert_no_inline_code(hostile_page)
    page = client.post(URL, follow=True, data={"text": pem(certs.expired_leaf).decode()}).content.decode()
    assert_no_inline_code(page)


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def assert_no_inline_code(page: str) -> None:
    """Parse the page as a browser would and look at real tags and attributes, not at escaped text."""
    collector = _TagCollector()
    collector.feed(page)
    for tag, attributes in collector.tags:
        assert tag != "style", "style elements are blocked by the CSP"
        assert "style" not in attributes, f"a style attribute on <{tag}> is blocked by the CSP"
        assert not any(name.startswith("on") for name in attributes), f"an event handler on <{tag}>"
        if tag == "script":
            assert attributes.get("src"), "inline scripts are blocked by the CSP"
        for name in ("href", "src", "action"):
            value = (attributes.get(name) or "").strip().lower()
            assert not value.startswith("javascript:"), f"<{tag} {name}={value!r}>"
