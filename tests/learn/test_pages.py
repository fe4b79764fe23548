from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.usefixtures("content")


def test_the_home_page_offers_the_three_entry_points(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    for path in ("/learn/", "/guides/", "/troubleshooting/", "/tools/diagnose/"):
        assert f'href="{path}"'.encode() in response.content


def test_an_article_page_has_toc_sources_breadcrumbs_and_neighbours(client: Client) -> None:
    response = client.get("/learn/why-trust-fails/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "In this article" in html
    assert 'href="#missing-intermediate"' in html
    assert "https://www.rfc-editor.org/rfc/rfc8551" in html
    assert '<a href="/learn/">Learn</a>' in html
    assert 'rel="next" href="/learn/what-is-a-csr/"' in html
    assert "min read" in html
    assert 'property="og:title" content="Why trust fails"' in html


def test_a_section_index_lists_its_pages_in_order(client: Client) -> None:
    html = client.get("/learn/").content.decode()
    assert html.index("Why trust fails") < html.index("What is a CSR")


@pytest.mark.parametrize("path", [
    "/learn/../settings/", "/learn/%2e%2e/", "/learn/%2e%2e%2fsettings/", "/learn/..%2f..%2fsettings.py/",
    "/learn/Why-Trust-Fails/", "/learn/nowhere/", "/secret/why-trust-fails/",
])
def test_bad_or_unknown_slugs_are_a_404_that_offers_search(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert b'action="/search/"' in response.content


def test_redirect_from_is_a_permanent_redirect(client: Client) -> None:
    response = client.get("/learn/trust-problems/")
    assert response.status_code == 301
    assert response["Location"] == "/learn/why-trust-fails/"


def test_a_page_asked_for_under_the_wrong_section_redirects(client: Client) -> None:
    response = client.get("/guides/why-trust-fails/")
    assert response.status_code == 301
    assert response["Location"] == "/learn/why-trust-fails/"


def test_the_sitemap_lists_every_page_with_its_date(client: Client) -> None:
    xml = client.get("/sitemap.xml").content.decode()
    for path in ("/learn/why-trust-fails/", "/learn/what-is-a-csr/", "/guides/thunderbird/", "/troubleshooting/p12-wrong-password/"):
        assert path in xml
    assert "<lastmod>2026-10-01</lastmod>" in xml


def test_robots_txt_points_to_the_sitemap(client: Client) -> None:
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert b"Sitemap: http://testserver/sitemap.xml" in response.content


def test_the_feed_is_atom(client: Client) -> None:
    response = client.get("/feed.atom")
    assert response.status_code == 200
    assert b'xmlns="http://www.w3.org/2005/Atom"' in response.content
    assert b"Why trust fails" in response.content


def test_the_glossary_has_one_anchor_per_term(client: Client) -> None:
    html = client.get("/glossary/").content.decode()
    assert '<dt id="csr">' in html and '<dt id="intermediate">' in html


def test_pages_carry_a_content_security_policy_without_inline_code(client: Client) -> None:
    policy = client.get("/learn/why-trust-fails/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
