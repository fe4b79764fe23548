"""A reader's path through the knowledge center, in a real browser."""
from __future__ import annotations

from pathlib import Path

import pytest

from smimecenter.learn import current

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_a_reader_follows_the_toc_copies_a_section_link_and_searches(live_server, page, artifacts: Path) -> None:
    current.reset()
    page.goto(live_server.url + "/")
    page.screenshot(path=str(artifacts / "home.png"), full_page=True)
    page.get_by_role("link", name="Learn how it works").click()
    page.wait_for_url("**/learn/")
    page.locator(".page-list a", has_text="Why S/MIME trust fails").first.click()
    page.wait_for_url("**/learn/why-trust-fails/")

    toc_link = page.locator(".toc a[href='#missing-intermediate']")
    toc_link.click()
    page.wait_for_url("**/learn/why-trust-fails/#missing-intermediate")
    assert page.locator("#missing-intermediate").is_visible()

    section_link = page.locator("#missing-intermediate a.section-link")
    section_link.focus()
    section_link.press("Enter")
    assert page.url.endswith("/learn/why-trust-fails/#missing-intermediate")
    page.screenshot(path=str(artifacts / "article.png"), full_page=False)

    page.locator("#site-search-q").fill("missing intermediate")
    page.locator("#site-search-q").press("Enter")
    page.wait_for_url("**/search/?q=missing+intermediate")
    first = page.locator(".search-results .hit-title").first
    assert "#missing-intermediate" in first.get_attribute("href")
    assert page.locator(".search-results mark").count() > 0
    page.screenshot(path=str(artifacts / "search.png"), full_page=True)


def test_the_skip_link_is_the_first_stop_for_the_keyboard(live_server, page) -> None:
    current.reset()
    page.goto(live_server.url + "/learn/what-is-smime/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_site_reads_fine_without_javascript_and_in_dark_mode(browser, live_server, artifacts: Path) -> None:
    current.reset()
    context = browser.new_context(java_script_enabled=False, color_scheme="dark", viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(live_server.url + "/learn/why-trust-fails/")
    assert tab.locator("h1").inner_text() == "Why S/MIME trust fails"
    background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 22, 28)"
    tab.screenshot(path=str(artifacts / "article-phone-dark.png"), full_page=False)
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_problems_on_the_knowledge_center(browser, live_server, scheme: str) -> None:
    from tests.browser.test_diagnose_browser import AXE, serious_violations

    if not AXE.exists():
        pytest.skip("axe-core is not installed (make test installs it with npm)")
    current.reset()
    # The CSP would block the injected axe script; only this test's context bypasses it.
    context = browser.new_context(bypass_csp=True, color_scheme=scheme, viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    for path in ("/", "/learn/", "/learn/why-trust-fails/", "/guides/thunderbird/", "/glossary/",
                 "/search/?q=missing+intermediate", "/search/?q=x", "/no-such-page/"):
        tab.goto(live_server.url + path)
        assert serious_violations(tab) == [], path
    context.close()
