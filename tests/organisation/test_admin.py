"""The admin pages: each renders, validation explains itself, and places that point nowhere are flagged."""
from __future__ import annotations

import re

import pytest

from smimecenter.organisation.models import (
    Organisation,
    OrganisationNote,
    OrganisationTrustAnchor,
    ReadingList,
    ReadingListItem,
)
from tests.diagnostics.builders import make_chain, make_root, private_key_pem
from tests.organisation.conftest import ANCHOR, ARTICLE_SLUG

pytestmark = pytest.mark.django_db

MODELS = ["organisation", "organisationtrustanchor", "readinglist", "organisationnote", "shareddiagnosis"]


@pytest.mark.parametrize("model", MODELS)
def test_every_admin_list_renders(staff_client, model: str) -> None:
    response = staff_client.get(f"/admin/organisation/{model}/", follow=True)
    assert response.status_code == 200


@pytest.mark.parametrize("model", ["organisation", "organisationtrustanchor", "readinglist", "organisationnote"])
def test_every_admin_add_form_renders(staff_client, model: str) -> None:
    assert staff_client.get(f"/admin/organisation/{model}/add/").status_code == 200


def test_the_admin_is_styled_like_the_site(staff_client) -> None:
    body = staff_client.get("/admin/").content.decode()
    assert "/static/css/admin.css" in body
    assert "SMIME Center administration" in body
    assert 'href="/organisation/diagnose-link/"' in body


def test_the_organisation_is_edited_not_added_twice(staff_client) -> None:
    Organisation.objects.create(name="ACME")
    response = staff_client.get("/admin/organisation/organisation/")
    assert response.status_code == 302 and response["Location"].endswith("/organisation/organisation/1/change/")
    assert staff_client.get("/admin/organisation/organisation/add/").status_code == 403


def test_a_staff_member_creates_a_reading_list_with_items(staff_client) -> None:
    response = staff_client.post("/admin/organisation/readinglist/add/", {
        "title": "Set up S/MIME at ACME", "slug": "acme-setup", "introduction": "Start here.",
        "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
        "items-0-place": f"{ARTICLE_SLUG}#{ANCHOR}", "items-0-note": "Read first", "items-0-position": "1",
        "items-1-place": "what-is-smime", "items-1-note": "", "items-1-position": "2",
        "items-2-place": "", "items-2-note": "", "items-2-position": "0",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    reading_list = ReadingList.objects.get(slug="acme-setup")
    assert [(i.page_slug, i.anchor, i.note) for i in reading_list.items.all()] == [
        (ARTICLE_SLUG, ANCHOR, "Read first"), ("what-is-smime", "", "")]


def test_the_item_picker_offers_articles_and_their_sections(staff_client) -> None:
    body = staff_client.get("/admin/organisation/readinglist/add/").content.decode()
    assert f'<option value="{ARTICLE_SLUG}">' in body
    assert f'<option value="{ARTICLE_SLUG}#{ANCHOR}">' in body


def test_an_item_cannot_be_saved_pointing_at_a_section_that_does_not_exist(staff_client) -> None:
    response = staff_client.post("/admin/organisation/readinglist/add/", {
        "title": "T", "slug": "t", "introduction": "",
        "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
        "items-0-place": f"{ARTICLE_SLUG}#made-up", "items-0-note": "", "items-0-position": "1",
    })
    assert response.status_code == 200
    assert not ReadingList.objects.exists()


def test_items_that_point_nowhere_are_flagged_in_the_list_and_on_the_list_page(staff_client) -> None:
    reading_list = ReadingList.objects.create(title="ACME", slug="acme")
    ReadingListItem.objects.create(reading_list=reading_list, position=1, page_slug=ARTICLE_SLUG, anchor=ANCHOR)
    stale = ReadingListItem.objects.create(reading_list=reading_list, position=2, page_slug="removed-article")

    changelist = staff_client.get("/admin/organisation/readinglist/").content.decode()
    assert re.search(r'<strong class="org-problem">1</strong>: removed-article \(missing\)', changelist)

    change = staff_client.get(f"/admin/organisation/readinglist/{reading_list.pk}/change/").content.decode()
    assert "Item 2 (removed-article) points nowhere: The article no longer exists." in change
    assert "Points nowhere:</strong> The article no longer exists." in change
    # The stale value stays selected, so the rest of the list can still be saved while it is fixed.
    assert '<option value="removed-article" selected>' in change
    assert stale.pk


def test_a_note_that_points_nowhere_is_flagged(staff_client) -> None:
    OrganisationNote.objects.create(page_slug=ARTICLE_SLUG, anchor="gone", body="Old")
    body = staff_client.get("/admin/organisation/organisationnote/").content.decode()
    assert "#gone no longer exists" in body


def test_a_trust_anchor_is_validated_and_shows_subject_and_expiry(staff_client) -> None:
    root = make_root(common_name="ACME Staff Root")
    response = staff_client.post("/admin/organisation/organisationtrustanchor/add/",
                                 {"pem": root.pem.decode(), "note": ""})
    assert response.status_code == 302
    anchor = OrganisationTrustAnchor.objects.get()
    listing = staff_client.get("/admin/organisation/organisationtrustanchor/").content.decode()
    assert "CN=ACME Staff Root" in listing and str(root.certificate.not_valid_after_utc.year) in listing
    detail = staff_client.get(f"/admin/organisation/organisationtrustanchor/{anchor.pk}/change/").content.decode()
    assert "Trusted by your organisation&#x27;s root" in detail and anchor.sha256 in detail


@pytest.mark.parametrize("text, words", [
    ("hello", "No certificate found"),
    (None, "contains a private key"),
    ("leaf", "not a CA certificate"),
])
def test_a_bad_trust_anchor_gets_an_explanation(staff_client, text, words: str) -> None:
    chain = make_chain()
    if text is None:
        text = chain.root.pem.decode() + private_key_pem(chain.root.key).decode()
    elif text == "leaf":
        text = chain.leaf.pem.decode()
    response = staff_client.post("/admin/organisation/organisationtrustanchor/add/", {"pem": text, "note": ""})
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not OrganisationTrustAnchor.objects.exists()


def test_a_note_is_added_to_a_section(staff_client) -> None:
    response = staff_client.post("/admin/organisation/organisationnote/add/",
                                 {"place": f"{ARTICLE_SLUG}#{ANCHOR}", "body": "At ACME, ask the help desk."})
    assert response.status_code == 302
    note = OrganisationNote.objects.get()
    assert (note.page_slug, note.anchor) == (ARTICLE_SLUG, ANCHOR)


def test_readers_cannot_reach_the_admin(client) -> None:
    response = client.get("/admin/organisation/readinglist/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_item_of_a_renamed_article_is_shown_under_its_new_name(staff_client, tmp_path, settings) -> None:
    from smimecenter.learn import current
    from tests.learn.conftest import SAMPLE, write_content

    settings.CONTENT_DIR = write_content(tmp_path, SAMPLE)   # "why-trust-fails" was "trust-problems"
    current.reset()
    reading_list = ReadingList.objects.create(title="ACME", slug="acme")
    ReadingListItem.objects.create(reading_list=reading_list, page_slug="trust-problems", anchor="missing-intermediate")
    body = staff_client.get(f"/admin/organisation/readinglist/{reading_list.pk}/change/").content.decode()
    assert '<option value="why-trust-fails#missing-intermediate" selected>' in body
    assert "points nowhere" not in body
