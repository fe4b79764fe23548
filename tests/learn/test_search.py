from __future__ import annotations

import pytest
from django.test import Client

from smimecenter.learn import current
from smimecenter.learn.search import tokens

pytestmark = pytest.mark.usefixtures("content")


def test_tokens_fold_joiners_and_plurals() -> None:
    assert tokens("S/MIME certificates and PKCS#12 files") == ["smime", "certificate", "pkcs12", "file"]


def test_a_title_match_ranks_first() -> None:
    hits = current.search_index().search("thunderbird")
    assert hits[0].page.slug == "thunderbird"


def test_a_hit_links_to_the_best_matching_section() -> None:
    hit = current.search_index().search("legacy encryption")[0]
    assert hit.url == "/troubleshooting/p12-wrong-password/#modern-encryption"
    assert "<mark>legacy</mark>" in hit.snippet


def test_the_snippet_is_escaped(settings) -> None:
    hit = current.search_index().search("public key")[0]
    assert "<script" not in hit.snippet


@pytest.mark.parametrize("query, message", [
    ("", "Try “missing intermediate”"),
    ("x", "too short"),
    ("a" * 300, "too long"),
    ("!!! ??? ###", "no words"),
])
def test_awkward_queries_get_a_friendly_page(client: Client, query: str, message: str) -> None:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_query_that_matches_nothing_says_so(client: Client) -> None:
    response = client.get("/search/", {"q": "zebra"})
    assert "Nothing matches" in response.content.decode()


def test_the_search_page_highlights_and_escapes(client: Client) -> None:
    html = client.get("/search/", {"q": "<b>certificate</b>"}).content.decode()
    assert "<b>certificate</b>" not in html
    assert "<mark>" in html
