"""The public reading list page, its print view, and adding to a list from an article."""
from __future__ import annotations

import pytest
from django.test import Client

from smimecenter.learn import current
from smimecenter.organisation.models import ReadingList, ReadingListItem
from tests.learn.conftest import SAMPLE, write_content
from tests.organisation.conftest import ANCHOR, ARTICLE_SLUG, ARTICLE_URL

pytestmark = pytest.mark.django_db


@pytest.fixture
def reading_list() -> ReadingList:
    found = ReadingList.objects.create(title="Set up S/MIME at ACME", slug="acme-setup",
                                       introduction="Start **here**. <script>alert(1)</script>")
    ReadingListItem.objects.create(reading_list=found, position=2, page_slug=ARTICLE_SLUG, anchor=ANCHOR,
                                   note="Use the address ending in @acme.example <b>now</b>")
    ReadingListItem.objects.create(reading_list=found, position=1, page_slug="what-is-smime")
    ReadingListItem.objects.create(reading_list=found, position=3, page_slug="a-page-that-was-removed")
    ReadingListItem.objects.create(reading_list=found, position=4, page_slug=ARTICLE_SLUG, anchor="gone-section")
    return found


def test_the_list_shows_items_in_order_with_summaries_and_notes(client: Client, reading_list) -> None:
    body = client.get("/lists/acme-setup/").content.decode()
    assert body.index('href="/learn/what-is-smime/"') < body.index(f'href="{ARTICLE_URL}#{ANCHOR}"')
    assert "Start <strong>here</strong>." in body and "<script>alert" not in body
    assert "Use the address ending in @acme.example &lt;b&gt;now&lt;/b&gt;" in body


def test_items_that_point_nowhere_are_never_broken_links(client: Client, reading_list) -> None:
    body = client.get("/lists/acme-setup/").content.decode()
    assert "a-page-that-was-removed" not in body
    assert "points to a page that is no longer on the site" in body
    assert "#gone-section" not in body
    # The article still exists: the item links to its start and says the section moved.
    assert "has been reworded or removed" in body


def test_an_item_follows_a_renamed_article_through_its_redirect(client: Client, tmp_path, settings) -> None:
    # Sample content where "why-trust-fails" says redirect_from = ["trust-problems"].
    settings.CONTENT_DIR = write_content(tmp_path, SAMPLE)
    current.reset()
    found = ReadingList.objects.create(title="Renamed", slug="renamed")
    ReadingListItem.objects.create(reading_list=found, page_slug="trust-problems", anchor="missing-intermediate")
    body = client.get("/lists/renamed/").content.decode()
    assert 'href="/learn/why-trust-fails/#missing-intermediate"' in body


def test_progress_ticks_are_there_for_scripts_and_hidden_without_them(client: Client, reading_list) -> None:
    body = client.get("/lists/acme-setup/").content.decode()
    assert body.count('class="rl-tick"') == 4
    assert '<input type="checkbox" class="rl-tick" id="rl-tick-' in body and '" hidden>' in body
    assert 'data-reading-list="acme-setup"' in body
    assert "/static/js/reading-list.js" in body


def test_the_print_view_writes_addresses_out(client: Client, reading_list) -> None:
    body = client.get("/lists/acme-setup/print/").content.decode()
    assert f"http://127.0.0.1:8000{ARTICLE_URL}#{ANCHOR}" in body
    assert "This list online: http://127.0.0.1:8000/lists/acme-setup/" in body


def test_an_unknown_list_is_a_404(client: Client) -> None:
    assert client.get("/lists/nothing-here/").status_code == 404
    assert client.get("/lists/nothing-here/print/").status_code == 404


def test_staff_see_add_to_a_reading_list_on_articles_and_readers_do_not(staff_client, reading_list) -> None:
    assert "Add to a reading list" not in Client().get(ARTICLE_URL).content.decode()
    body = staff_client.get(ARTICLE_URL).content.decode()
    assert "Add to a reading list" in body
    assert f'value="{ARTICLE_SLUG}#{ANCHOR}"' in body


def test_staff_add_a_section_to_a_list_from_the_article(staff_client, reading_list) -> None:
    response = staff_client.post("/organisation/add-to-reading-list/", {
        "reading_list": reading_list.pk, "place": f"{ARTICLE_SLUG}#{ANCHOR}", "note": "Read this first"})
    assert response.status_code == 302 and response["Location"] == f"{ARTICLE_URL}#{ANCHOR}"
    item = reading_list.items.order_by("-position").first()
    assert (item.page_slug, item.anchor, item.note, item.position) == (ARTICLE_SLUG, ANCHOR, "Read this first", 5)
    assert "Added “" in staff_client.get(ARTICLE_URL).content.decode()


def test_adding_refuses_a_section_that_does_not_exist(staff_client, reading_list) -> None:
    staff_client.post("/organisation/add-to-reading-list/",
                      {"reading_list": reading_list.pk, "place": f"{ARTICLE_SLUG}#no-such-section"})
    assert reading_list.items.count() == 4


def test_readers_cannot_add_to_lists(client: Client, reading_list) -> None:
    response = client.post("/organisation/add-to-reading-list/",
                           {"reading_list": reading_list.pk, "place": ARTICLE_SLUG})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert reading_list.items.count() == 4
