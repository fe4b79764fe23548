"""Result pages speak plainly: glossary terms open their definitions, codes and DNs wait behind a toggle."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from smimecenter.learn import current

from .certificates import pem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _real_glossary():
    current.reset()


def result_page(client, text: str) -> str:
    return client.post("/tools/diagnose/", {"text": text}, follow=True).content.decode()


def test_glossary_terms_in_findings_open_their_definition_once_per_page(client, certs):
    page = result_page(client, pem(certs.chain.leaf).decode())
    ids = re.findall(r'<span class="term-definition" id="([^"]+)" popover>', page)
    assert ids, "a missing intermediate finding names at least one glossary term"
    assert all(count == 1 for count in Counter(ids).values())
    for target in ids:
        assert f'popovertarget="{target}"' in page


def test_codes_rules_and_names_are_behind_technical_details(client, certs):
    page = result_page(client, pem(certs.chain.leaf).decode())
    finding = re.search(r'<article class="finding finding-error" data-code="chain.missing_intermediate">(.*?)</article>',
                        page, re.S).group(1)
    visible, technical = finding.split('<details class="technical">')
    visible = re.sub(r'<span class="term-definition".*?</span>', "", visible, flags=re.S)  # opened on request
    assert "chain.missing_intermediate" not in visible and "chain.missing_intermediate" in technical
    assert "RFC" not in visible and "CN=" not in visible
    assert "Example S/MIME Issuing CA" in visible
    assert "CN=Example S/MIME Issuing CA,O=Example Trust" in technical and "RFC" in technical


def test_counts_are_written_as_words_people_use(client, certs):
    page = result_page(client, pem(certs.chain.leaf, certs.chain.intermediate).decode())
    page = re.sub(r'<details class="explain-here">.*?</details>', "", page, flags=re.S)  # articles' own words
    assert "(s)" not in page
    assert not re.search(r"\b1 days\b|\b1 warnings\b", page)


def test_learn_more_can_be_read_in_place_once_per_section(client, certs):
    page = result_page(client, pem(certs.chain.leaf).decode())
    finding = re.search(r'data-code="chain.missing_intermediate">(.*?)</article>', page, re.S).group(1)
    excerpt = re.search(r'<details class="explain-here">(.*?)</details>', finding, re.S).group(1)
    assert 'href="/learn/why-trust-fails/#missing-intermediate"' in excerpt
    assert "Read the explanation here" in excerpt and "<p>" in excerpt
    assert ' id="' not in excerpt.split("</summary>", 1)[1]   # no ids that could clash with the page's
    assert page.count('<details class="explain-here">') == len(set(re.findall(
        r'<a class="learn-more" href="([^"]+)"', page)))
