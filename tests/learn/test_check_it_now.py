"""The "Check it now" box on troubleshooting pages, and the certificate check that names where the person came from."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from smimecenter.learn import current
from smimecenter.learn.library import load_library

from .conftest import SAMPLE, page, write_content

BOX_HEADING = "Have the certificate or the message? Check it now"

PAGES = {
    **SAMPLE,
    "troubleshooting/issued-by-unknown-ca.md": page(
        "Issued by <b>an unknown</b> & untrusted CA", "troubleshooting",
        "## Private CA {: #private-ca }\n\nYour organisation runs its own CA.\n",
        order=2, extra='check_for = "a chain that ends at a root <i>mail apps</i> do not trust"',
    ),
}


@pytest.fixture
def content_with_context(tmp_path: Path, settings):
    settings.CONTENT_DIR = write_content(tmp_path, PAGES)
    current.reset()
    yield tmp_path
    current.reset()


pytestmark = pytest.mark.usefixtures("content_with_context")


def test_every_troubleshooting_page_opens_with_the_box_linking_to_the_check_with_its_slug(client: Client) -> None:
    for path, slug in (("/troubleshooting/p12-wrong-password/", "p12-wrong-password"),
                       ("/troubleshooting/issued-by-unknown-ca/", "issued-by-unknown-ca")):
        html = client.get(path).content.decode()
        assert BOX_HEADING in html
        assert f'href="/tools/diagnose/?from={slug}"' in html
        # At the top: before the table of contents and the article's own text.
        assert html.index(BOX_HEADING) < html.index('class="prose"')


def test_the_box_says_what_the_check_looks_for_escaped(client: Client) -> None:
    html = client.get("/troubleshooting/issued-by-unknown-ca/").content.decode()
    assert "The certificate check looks for a chain that ends at a root &lt;i&gt;mail apps&lt;/i&gt; do not trust." in html
    assert "<i>mail apps</i>" not in html


@pytest.mark.parametrize("path", ["/learn/why-trust-fails/", "/guides/thunderbird/"])
def test_learn_and_guide_pages_have_no_box(client: Client, path: str) -> None:
    assert BOX_HEADING not in client.get(path).content.decode()


def test_the_check_names_the_page_it_came_from_and_links_back(client: Client) -> None:
    html = client.get("/tools/diagnose/?from=issued-by-unknown-ca").content.decode()
    assert 'You came from <a href="/troubleshooting/issued-by-unknown-ca/">' in html
    assert "Issued by &lt;b&gt;an unknown&lt;/b&gt; &amp; untrusted CA" in html
    assert "The check looks for a chain that ends at a root &lt;i&gt;mail apps&lt;/i&gt; do not trust." in html
    assert "<b>an unknown</b>" not in html
    assert html.count('href="/troubleshooting/issued-by-unknown-ca/"') == 2


def test_a_page_without_a_check_description_still_links_back(client: Client) -> None:
    html = client.get("/tools/diagnose/?from=p12-wrong-password").content.decode()
    assert 'href="/troubleshooting/p12-wrong-password/"' in html
    assert "The check looks for" not in html


@pytest.mark.parametrize("value", [
    "<script>alert(1)</script>", "why-trust-fails", "thunderbird", "nowhere", "../p12-wrong-password",
    "p12-wrong-password\n", "x" * 5000,
])
def test_anything_but_a_troubleshooting_slug_shows_nothing_and_is_never_echoed(client: Client, value: str) -> None:
    response = client.get("/tools/diagnose/", {"from": value})
    html = response.content.decode()
    assert response.status_code == 200
    assert "You came from" not in html
    assert "<script>alert(1)" not in html


def test_the_check_without_context_shows_no_note(client: Client) -> None:
    html = client.get("/tools/diagnose/").content.decode()
    assert "Check an S/MIME certificate" in html
    assert "You came from" not in html


REAL_LIBRARY = load_library(settings.CONTENT_DIR)


@pytest.mark.parametrize("slug", sorted(page.slug for page in REAL_LIBRARY.section("troubleshooting")))
def test_every_real_troubleshooting_page_says_what_the_check_looks_for(slug: str) -> None:
    check_for = REAL_LIBRARY.pages[slug].meta.check_for
    assert check_for, f"{slug} has no check_for in its front matter"
    # It is read after "The check looks for": a short phrase, not a sentence of its own.
    assert not check_for.endswith(".") and len(check_for) <= 200
