"""A staff member builds a reading list in the admin; a reader works through it and keeps their ticks."""
from __future__ import annotations

from pathlib import Path

import pytest

from smimecenter.learn import current
from smimecenter.organisation.models import ReadingList
from smimecenter.organisation.signals import invalidate_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_create_a_reading_list_and_a_reader_ticks_it_off(live_server, browser, page, admin_user,
                                                              artifacts: Path) -> None:
    current.reset()
    invalidate_all()
    page.goto(live_server.url + "/admin/login/?next=/admin/organisation/readinglist/add/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/organisation/readinglist/add/")

    page.fill("#id_title", "Set up S/MIME at ACME")
    page.locator("#id_title").press("Tab")
    # The admin fills the address from the title as it is typed.
    assert page.input_value("#id_slug") == "set-up-smime-at-acme"
    page.fill("#id_introduction", "Work through these **in order**.")
    page.select_option("#id_items-0-place", "what-is-smime")
    page.fill("#id_items-0-position", "1")
    page.select_option("#id_items-1-place", "why-trust-fails#missing-intermediate")
    page.fill("#id_items-1-note", "Use the address ending in @acme.example")
    page.fill("#id_items-1-position", "2")
    page.screenshot(path=str(artifacts / "admin-reading-list.png"), full_page=True)
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/organisation/readinglist/")
    reading_list = ReadingList.objects.get(slug="set-up-smime-at-acme")
    assert reading_list.items.count() == 2

    reader = browser.new_context(viewport={"width": 1000, "height": 900})
    tab = reader.new_page()
    tab.goto(live_server.url + "/lists/set-up-smime-at-acme/")
    assert tab.locator("h1").inner_text() == "Set up S/MIME at ACME"
    assert tab.locator(".rl-progress").inner_text() == "0 of 2 done"
    second = tab.locator(".rl-item").nth(1)
    assert "Use the address ending in @acme.example" in second.inner_text()
    second.get_by_label("Done").check()
    assert tab.locator(".rl-progress").inner_text() == "1 of 2 done"

    tab.reload()
    assert tab.locator(".rl-item").nth(1).locator(".rl-tick").is_checked()
    assert not tab.locator(".rl-item").nth(0).locator(".rl-tick").is_checked()
    assert tab.locator(".rl-progress").inner_text() == "1 of 2 done"
    tab.screenshot(path=str(artifacts / "reading-list.png"), full_page=True)

    tab.locator(".rl-item").nth(1).locator("a").first.click()
    tab.wait_for_url("**/learn/why-trust-fails/#missing-intermediate")
    reader.close()


def test_the_list_reads_fine_without_javascript(live_server, browser) -> None:
    current.reset()
    reading_list = ReadingList.objects.create(title="No script", slug="no-script")
    reading_list.items.create(page_slug="what-is-smime", position=1)
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(live_server.url + "/lists/no-script/")
    assert tab.locator(".rl-item a").first.inner_text() == "What is S/MIME?" or tab.locator(".rl-item a").count() == 1
    assert not tab.locator(".rl-tick").first.is_visible()
    assert not tab.locator(".rl-progress").is_visible()
    context.close()


def test_a_reader_sees_the_organisations_note_and_copies_a_section_link(live_server, page, artifacts: Path) -> None:
    from smimecenter.organisation.models import Organisation, OrganisationNote

    current.reset()
    Organisation.objects.create(name="ACME")
    OrganisationNote.objects.create(page_slug="why-trust-fails", anchor="missing-intermediate",
                                    body="At ACME, the intermediate is at https://pki.acme.example/chain.pem")
    invalidate_all()
    page.goto(live_server.url + "/learn/why-trust-fails/#missing-intermediate")
    note = page.locator("#missing-intermediate + aside.org-note")
    assert note.is_visible()
    assert "Note from ACME" in note.inner_text()
    assert "ACME · SMIME Center" in page.locator(".brand").inner_text()
    copy_link = page.locator("#missing-intermediate a.section-link")
    assert copy_link.is_visible()
    after = "getComputedStyle(document.querySelector('#missing-intermediate a.section-link'), '::after').content"
    assert page.evaluate(after) == '" link to this section"'
    assert copy_link.get_attribute("aria-label").startswith("Link to this section")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    copy_link.click()
    page.wait_for_selector("#missing-intermediate a.section-link.copied")
    assert page.evaluate("navigator.clipboard.readText()") == live_server.url + "/learn/why-trust-fails/#missing-intermediate"
    page.screenshot(path=str(artifacts / "article-with-note.png"), full_page=False)
