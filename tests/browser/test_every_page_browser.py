"""Every kind of page, in a real Chromium: nothing scrolls sideways at 390 px, axe-core finds nothing
serious in light or dark mode, and screenshots at 390 x 844 and 1366 x 900 go to tests/artifacts/.

Also the result's main loop (result -> Learn more -> Back -> refresh) and keyboard-only use of the
result page's toggles and glossary definitions.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from smimecenter.learn import current
from smimecenter.organisation.models import ReadingList
from tests.expert.helpers import csr, csr_pem
from tests.tools.certificates import P12_PASSWORD, pem

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.usefixtures("fresh_state")]

AXE = Path(__file__).resolve().parent.parent.parent / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
RESULT_ADDRESS = re.compile(r"/tools/diagnose/result/[A-Za-z0-9_-]{43}/$")


# --- how to reach each kind of page ----------------------------------------------------------------

def _diagnose(text: str, email: str = "") -> Callable:
    def reach(tab, base: str) -> None:
        tab.goto(base + "/tools/diagnose/")
        tab.locator("#id_text").fill(text)
        if email:
            tab.locator("#id_email").fill(email)
        tab.get_by_role("button", name="Check", exact=True).click()
        tab.wait_for_selector(".verdict")
    return reach


def _expert(path: str, fill: Callable) -> Callable:
    def reach(tab, base: str) -> None:
        tab.goto(base + path)
        fill(tab)
        tab.locator("form.x-form button[type=submit]").click()
        tab.wait_for_selector("#result-title")
    return reach


def _visit(path: str) -> Callable:
    def reach(tab, base: str) -> None:
        tab.goto(base + path)
    return reach


def _share_created(certs) -> Callable:
    def reach(tab, base: str) -> None:
        _diagnose(certs.three_pem.decode(), "alice@example.com")(tab, base)
        tab.get_by_role("button", name="Create a share link").click()
        tab.wait_for_selector("#share-url")
    return reach


def _shared(certs) -> Callable:
    def reach(tab, base: str) -> None:
        _share_created(certs)(tab, base)
        tab.goto(tab.locator("#share-url").input_value())
    return reach


def page_kinds(certs) -> dict[str, Callable]:
    p12 = {"name": "alice.p12", "mimeType": "application/x-pkcs12", "buffer": certs.p12}
    request = csr_pem(csr()).decode()
    library = current.library()
    one_article_per_section = {}
    for page in library.pages.values():
        one_article_per_section.setdefault(page.section, page.url)
    kinds = {
        "home": _visit("/"),
        "learn-index": _visit("/learn/"),
        "guides-index": _visit("/guides/"),
        "troubleshooting-index": _visit("/troubleshooting/"),
        **{f"article-{section}": _visit(url) for section, url in one_article_per_section.items()},
        "glossary": _visit("/glossary/"),
        "search": _visit("/search/?q=outlook+signature+invalid"),
        "search-typo": _visit("/search/?q=certifcate+expird&section=learn"),
        "not-found": _visit("/learn/why-trust-fail/"),
        "diagnose": _visit("/tools/diagnose/"),
        "diagnose-result-fail": _diagnose(pem(certs.chain.leaf).decode(), "alice@example.com"),
        "diagnose-result-expired": _diagnose(pem(certs.expired_leaf, certs.chain.intermediate).decode()),
        "diagnose-result-hostile": _diagnose(pem(certs.hostile, certs.chain.intermediate).decode()),
        "diagnose-result-gone": _visit("/tools/diagnose/result/" + "A" * 43 + "/"),
        "pkcs12": _visit("/tools/pkcs12/"),
        "pkcs12-result": _expert("/tools/pkcs12/", lambda tab: (tab.locator("#id_file").set_input_files(files=[p12]),
                                                                tab.locator("#id_password").fill(P12_PASSWORD))),
        "csr": _visit("/tools/csr/"),
        "csr-result": _expert("/tools/csr/", lambda tab: (tab.locator("#id_text").fill(request),
                                                          tab.locator("#id_email").fill("somebody.else@example.org"))),
        "compliance": _visit("/tools/compliance/"),
        "compliance-result": _expert("/tools/compliance/",
                                     lambda tab: tab.locator("#id_text").fill(certs.three_pem.decode())),
        "api": _visit("/api/"),
        "reading-list": _visit("/lists/phone-check/"),
        "share-created": _share_created(certs),
        "share": _shared(certs),
    }
    return kinds


def _reading_list() -> None:
    reading_list = ReadingList.objects.create(title="Phone check", slug="phone-check",
                                              introduction="Read these **two** pages first.")
    reading_list.items.create(page_slug="what-is-smime", position=1, note="Start here.")
    reading_list.items.create(page_slug="why-trust-fails", anchor="missing-intermediate", position=2)


def overflow(tab) -> tuple[int, int]:
    return tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def serious_violations(tab) -> list[str]:
    tab.add_script_tag(path=str(AXE))
    violations = tab.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}));
    }""")
    return [f"{v['id']} ({v['impact']}): {v['nodes'][:3]}" for v in violations if v["impact"] in ("serious", "critical")]


# --- the tests -------------------------------------------------------------------------------------

def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, certs):
    _reading_list()
    context = browser.new_context(viewport=PHONE)
    tab = context.new_page()
    wide = {}
    for kind, reach in page_kinds(certs).items():
        reach(tab, live_server.url)
        scroll_width, inner_width = overflow(tab)
        if scroll_width > inner_width:
            wide[kind] = scroll_width
    for page in current.library().pages.values():
        tab.goto(live_server.url + page.url)
        scroll_width, inner_width = overflow(tab)
        if scroll_width > inner_width:
            wide[page.url] = scroll_width
    context.close()
    assert wide == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_kind_is_clean_for_axe_and_is_photographed(browser, live_server, certs, artifacts, scheme):
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run make test (it installs it with npm)")
    _reading_list()
    problems = {}
    for size_name, viewport in (("390", PHONE), ("1366", DESKTOP)):
        # The CSP would block the injected axe script; only this test's context bypasses it.
        context = browser.new_context(bypass_csp=True, color_scheme=scheme, viewport=viewport)
        tab = context.new_page()
        for kind, reach in page_kinds(certs).items():
            reach(tab, live_server.url)
            tab.screenshot(path=str(artifacts / f"page-{kind}-{size_name}-{scheme}.png"), full_page=True)
            if size_name == "390":
                found = serious_violations(tab)
                if found:
                    problems[kind] = found
        context.close()
    assert problems == {}


def test_learn_more_then_back_shows_the_result_and_refresh_keeps_it(live_server, page, certs):
    _diagnose(pem(certs.chain.leaf).decode(), "alice@example.com")(page, live_server.url)
    result_url = page.url
    assert RESULT_ADDRESS.search(result_url)
    page.locator("a.learn-more").first.click()
    page.wait_for_url("**/learn/**")
    assert page.locator("article.article h1").is_visible()
    page.go_back()
    page.wait_for_selector(".verdict")
    assert page.url == result_url
    assert "Will not work as it is" in page.locator(".verdict-headline").inner_text()
    page.reload()
    page.wait_for_selector(".verdict")
    assert page.url == result_url
    assert "alice@example.com" in page.locator(".certificates").inner_text()


def test_the_result_page_works_with_the_keyboard_alone(live_server, page, certs):
    _diagnose(pem(certs.chain.leaf).decode())(page, live_server.url)
    page.locator("#verdict-heading").focus()

    def tab_to(selector: str) -> None:
        for _ in range(120):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"the keyboard never reached {selector}")

    tab_to("button.term")
    page.keyboard.press("Enter")
    assert page.evaluate("document.querySelector(':popover-open') !== null")
    assert page.locator(".term-definition:popover-open").inner_text().strip()
    page.keyboard.press("Escape")
    assert page.evaluate("document.querySelector(':popover-open') === null")

    tab_to("details.technical > summary")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.parentElement.open")
    assert "chain.missing_intermediate" in page.locator("details.technical[open]").first.inner_text()


def test_a_glossary_definition_opens_with_a_tap_on_a_phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    tab = context.new_page()
    tab.goto(live_server.url + "/learn/why-trust-fails/")
    term = tab.locator("button.term").first
    term.tap()
    definition = tab.locator(".term-definition:popover-open")
    assert definition.count() == 1 and definition.is_visible()
    box = definition.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    context.close()


def test_expert_results_are_where_the_page_lands(live_server, page, certs):
    page.set_viewport_size(PHONE)
    request = csr_pem(csr()).decode()
    _expert("/tools/csr/", lambda tab: tab.locator("#id_text").fill(request))(page, live_server.url)
    # The result has its own address; the fragment of the form's action survives the redirect.
    assert re.search(r"/tools/csr/result/[A-Za-z0-9_-]{43}/#result-title$", page.url)
    top = page.evaluate("document.getElementById('result-title').getBoundingClientRect().top")
    assert 0 <= top < PHONE["height"] / 2
    result_url = page.url
    page.locator(".x-result a[href^='/learn/']").first.click()
    page.wait_for_url("**/learn/**")
    page.go_back()
    page.wait_for_selector("#result-title")
    assert page.url == result_url and "Request for" in page.locator(".x-result").inner_text()
