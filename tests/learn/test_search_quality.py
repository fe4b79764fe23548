"""Search over the real articles: what a person types, and the page they expect first.

Three queries carry typos; the page a title names comes first; a section filter narrows the hits.
"""
from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from smimecenter.learn import current
from smimecenter.learn.library import load_library
from smimecenter.learn.search import SearchIndex

INDEX = SearchIndex(load_library(settings.CONTENT_DIR))

EXPECTED_FIRST = [
    ("outlook signature invalid", "/troubleshooting/digital-signature-invalid-or-not-trusted/"),
    ("missing intermediate", "/learn/why-trust-fails/"),
    ("p12 wrong password", "/troubleshooting/p12-wrong-password/"),
    ("thunderbird", "/guides/thunderbird/"),
    ("what is smime", "/learn/what-is-smime/"),
    ("csr", "/learn/what-is-a-csr/"),
    ("rsa or ecc", "/learn/rsa-vs-ecc/"),
    ("sign but cannot encrypt", "/troubleshooting/can-sign-but-cannot-encrypt/"),
    ("unknown certificate authority", "/troubleshooting/issued-by-unknown-certificate-authority/"),
    ("certificate authority", "/learn/what-is-a-certificate-authority/"),
    ("old encrypted mail", "/troubleshooting/old-encrypted-mail-unreadable/"),
    ("sha-1 thunderbird", "/troubleshooting/sha1-signature-invalid-in-thunderbird/"),
    ("private root", "/guides/distribute-private-root/"),
    ("iphone", "/guides/iphone-ipad-mail/"),
    ("outlook mac", "/guides/outlook-for-mac/"),
    ("subjectaltname", "/learn/subjectaltname-email-identity/"),
    ("digital id name", "/troubleshooting/digital-id-name-cannot-be-found/"),
    # Typos: a letter left out, two letters swapped, one letter doubled and one missing.
    ("certifcate expird", "/learn/certificate-exists-but-unusable/"),
    ("trhunderbird", "/guides/thunderbird/"),
    ("pasword p12", "/troubleshooting/p12-wrong-password/"),
]


def test_there_are_twenty_queries_three_with_typos():
    assert len(EXPECTED_FIRST) == 20
    assert sum(bool(INDEX.results(query).corrections) for query, _ in EXPECTED_FIRST) == 3


@pytest.mark.parametrize("query, expected", EXPECTED_FIRST)
def test_the_expected_page_comes_first(query: str, expected: str):
    hits = INDEX.search(query)
    assert hits and hits[0].page.url == expected, [hit.page.url for hit in hits[:3]]


def test_a_typo_is_read_as_the_closest_word_of_the_index():
    assert INDEX.results("certifcate expird").corrections == {"certifcate": "certificate", "expird": "expired"}


def test_words_that_are_in_the_index_are_never_corrected():
    assert INDEX.results("certificate expired").corrections == {}


def test_short_words_and_far_misses_are_not_guessed():
    assert INDEX.results("xq zzzzzzzzzz").hits == []


def test_a_section_filter_keeps_only_that_section():
    hits = INDEX.search("outlook", section="guides")
    assert hits and all(hit.page.section == "guides" for hit in hits)
    assert any(hit.page.section != "guides" for hit in INDEX.search("outlook"))


def test_the_search_page_filters_by_section_and_says_what_it_corrected(client: Client):
    current.reset()
    page = client.get("/search/", {"q": "trhunderbird", "section": "troubleshooting"}).content.decode()
    assert "“thunderbird” (for “trhunderbird”)" in page
    assert '<option value="troubleshooting" selected>' in page
    assert 'href="/guides/thunderbird/"' not in page.split('class="search-results"', 1)[-1]


def test_an_unknown_section_searches_everywhere(client: Client):
    current.reset()
    page = client.get("/search/", {"q": "thunderbird", "section": "<script>"}).content.decode()
    assert '<option value="" selected>All pages</option>' in page
    assert "<script>" not in page.split("<main", 1)[1]


def test_snippets_never_quote_a_not_verified_note():
    notes = [note for page_notes in INDEX.notes for note in page_notes]
    assert notes, "the guides carry Not verified call-outs"
    for note in notes[:8]:
        words = " ".join(note.removeprefix("Not verified").split()[:4])
        for hit in INDEX.search(words):
            assert "Not verified" not in hit.snippet, (words, hit.page.url)
