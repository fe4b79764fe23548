"""The 404 page: the closest existing pages, the search box filled from the address, a way to the check."""
from __future__ import annotations

import pytest
from django.test import Client

from smimecenter.learn import current
from smimecenter.learn.suggestions import words_from_path


@pytest.fixture(autouse=True)
def _real_content() -> None:
    current.reset()
    yield
    current.reset()


def test_a_near_miss_address_suggests_the_page_meant(client: Client) -> None:
    response = client.get("/learn/why-trust-fail/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Did you mean" in page
    assert page.index('href="/learn/why-trust-fails/"') < page.index('action="/search/"', page.index("Did you mean"))


def test_a_misspelt_guide_is_found_by_its_slug(client: Client) -> None:
    page = client.get("/guides/thunderbrid/").content.decode()
    assert 'href="/guides/thunderbird/"' in page


def test_the_search_box_is_filled_from_the_address(client: Client) -> None:
    page = client.get("/troubleshooting/wrong-password-p12/").content.decode()
    assert 'id="notfound-q" type="search" name="q" maxlength="200" value="wrong password p12"' in page


def test_the_page_links_to_the_certificate_check(client: Client) -> None:
    assert 'href="/tools/diagnose/"' in client.get("/nowhere/").content.decode()


def test_an_address_with_nothing_like_a_page_suggests_nothing(client: Client) -> None:
    page = client.get("/zzqx/").content.decode()
    assert "Did you mean" not in page


def test_hostile_addresses_give_plain_words_only() -> None:
    assert words_from_path('/learn/"><script>alert(1)</script>/') == "script"
    assert words_from_path("/learn/") == ""
    assert len(words_from_path("/" + "a-" * 400)) <= 100
