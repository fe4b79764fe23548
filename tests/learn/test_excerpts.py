"""A section read in place on a result page is cut from its article once per loaded library."""
from __future__ import annotations

from django.conf import settings

from smimecenter.learn import current
from smimecenter.learn.excerpts import section_excerpt
from smimecenter.learn.library import load_library

URL = "/learn/why-trust-fails/#missing-intermediate"


def test_the_same_section_is_cut_once_and_reads_the_same():
    library = current.library()
    first = section_excerpt(library, URL)
    assert first is not None and first.url == URL and "<p>" in first.html
    assert section_excerpt(library, URL) is first


def test_a_reloaded_library_gets_its_own_excerpts():
    old = current.library()
    before = section_excerpt(old, URL)
    reloaded = load_library(settings.CONTENT_DIR)
    after = section_excerpt(reloaded, URL)
    assert after is not before and after == before


def test_a_link_to_no_section_is_none_every_time():
    library = current.library()
    assert section_excerpt(library, "/learn/why-trust-fails/#no-such-section") is None
    assert section_excerpt(library, "/learn/no-such-page/#x") is None
    assert section_excerpt(library, "/not-learn/") is None
