"""The real articles in content/: valid, rendered, searchable, and their public links kept."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils.html import escape

from smimecenter.learn import current
from smimecenter.learn.library import load_library
from smimecenter.learn.linklock import LOCK_FILE, broken_links, current_links, read_lock

LIBRARY = load_library(settings.CONTENT_DIR)
MIN_WORDS, MAX_WORDS = 600, 2000


@pytest.fixture(autouse=True, scope="module")
def _real_content() -> None:
    # Other modules point CONTENT_DIR at generated content; start from the real library once.
    current.reset()


def test_every_content_file_passes_the_checks() -> None:
    assert [str(problem) for problem in LIBRARY.problems] == []


def test_manage_py_check_passes() -> None:
    call_command("check", "--fail-level", "ERROR")


def test_every_section_has_its_pages() -> None:
    assert len(LIBRARY.section("learn")) >= 14
    assert len(LIBRARY.section("guides")) >= 8
    assert len(LIBRARY.section("troubleshooting")) >= 8


@pytest.mark.parametrize("slug", sorted(LIBRARY.pages))
def test_every_page_renders(client: Client, slug: str) -> None:
    page = LIBRARY.pages[slug]
    response = client.get(page.url)
    assert response.status_code == 200
    assert f"<h1>{escape(page.title)}</h1>" in response.content.decode()


@pytest.mark.parametrize("slug", sorted(LIBRARY.pages))
def test_every_page_is_a_real_article_of_600_to_2000_words(slug: str) -> None:
    words = LIBRARY.pages[slug].rendered.words
    assert MIN_WORDS <= words <= MAX_WORDS, f"{slug} has {words} words"


def test_the_glossary_defines_the_core_terms() -> None:
    wanted = {"csr", "pkcs12", "intermediate", "root", "trust-anchor", "san", "eku", "key-usage", "crl", "ocsp", "aia"}
    assert wanted <= LIBRARY.glossary.anchors


@pytest.mark.parametrize("query, expected", [
    ("missing intermediate", "why-trust-fails"),
    ("p12 wrong password", "p12-wrong-password"),
    ("Your Digital ID name cannot be found", "digital-id-name-cannot-be-found"),
    ("thunderbird", "thunderbird"),
    ("what is a CSR", "what-is-a-csr"),
    ("can't encrypt", "can-sign-but-cannot-encrypt"),
    ("RSA or ECC", "rsa-vs-ecc"),
    ("SHA-1 signature thunderbird", "sha1-signature-invalid-in-thunderbird"),
    ("unknown certificate authority", "issued-by-unknown-certificate-authority"),
    ("iphone", "iphone-ipad-mail"),
    ("old encrypted mail after renewal", "old-encrypted-mail-unreadable"),
    ("openssl legacy pkcs12", "openssl-csr-and-pkcs12"),
])
def test_search_ranks_the_obvious_page_first(query: str, expected: str) -> None:
    assert current.search_index().search(query)[0].page.slug == expected


def test_every_locked_link_still_resolves() -> None:
    locked = read_lock(settings.CONTENT_DIR / LOCK_FILE)
    assert locked, "content/links.lock is missing: run make lock-links"
    assert broken_links(LIBRARY, locked) == []


def test_the_lock_file_covers_every_current_link() -> None:
    """A new page or section must be added to the contract (make lock-links) so it is protected too."""
    missing = sorted(set(current_links(LIBRARY)) - set(read_lock(settings.CONTENT_DIR / LOCK_FILE)))
    assert missing == [], "run make lock-links and commit content/links.lock"


def test_the_sitemap_lists_every_page(client: Client) -> None:
    xml = client.get("/sitemap.xml").content.decode()
    for page in LIBRARY.pages.values():
        assert f"{page.url}</loc>" in xml
