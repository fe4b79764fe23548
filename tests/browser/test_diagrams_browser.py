"""The diagrams in the articles, as a reader sees them on a phone, in light and dark mode."""
from __future__ import annotations

from pathlib import Path

import pytest

from smimecenter.learn import current

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PAGES_WITH_DIAGRAMS = (
    "/learn/what-is-a-certificate-authority/",
    "/learn/signing-vs-encryption/",
    "/learn/smime-lifecycle/",
    "/learn/what-is-pkcs12/",
    "/learn/subjectaltname-email-identity/",
    "/learn/what-is-a-csr/",
)


def _phone(browser, scheme: str):
    return browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 844})


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_diagram_loads_and_fits_a_phone_without_shrinking_its_text(browser, live_server, scheme: str) -> None:
    current.reset()
    context = _phone(browser, scheme)
    tab = context.new_page()
    for path in PAGES_WITH_DIAGRAMS:
        tab.goto(live_server.url + path)
        images = tab.locator("figure.diagram img")
        assert images.count() >= 1, path
        for index in range(images.count()):
            image = images.nth(index)
            image.scroll_into_view_if_needed()
            assert image.evaluate("i => i.complete && i.naturalWidth > 0"), (path, index)
            shown = image.bounding_box()["width"]
            # Drawn 360 units wide with 13-unit text at the smallest: 12 px needs at least 333 px.
            assert 333 <= shown <= 390, (path, index, shown)
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390, path
    context.close()


def test_a_diagram_follows_the_dark_colour_scheme(browser, live_server, artifacts: Path) -> None:
    current.reset()
    pictures = {}
    for scheme in ("light", "dark"):
        context = _phone(browser, scheme)
        tab = context.new_page()
        tab.goto(live_server.url + "/learn/signing-vs-encryption/")
        image = tab.locator("figure.diagram img").first
        image.scroll_into_view_if_needed()
        pictures[scheme] = image.screenshot(path=str(artifacts / f"diagram-{scheme}.png"))
        context.close()
    # Only the picture is captured, not the page around it: the same pixels would mean no dark style.
    assert pictures["light"] != pictures["dark"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_problems_in_the_diagrams(browser, live_server, scheme: str) -> None:
    from tests.browser.test_diagnose_browser import AXE

    if not AXE.exists():
        pytest.skip("axe-core is not installed (make test installs it with npm)")
    current.reset()
    # The CSP would block the injected axe script; only this test's context bypasses it.
    context = browser.new_context(bypass_csp=True, color_scheme=scheme, viewport={"width": 390, "height": 844})
    tab = context.new_page()
    for path in PAGES_WITH_DIAGRAMS:
        tab.goto(live_server.url + path)
        tab.add_script_tag(path=str(AXE))
        violations = tab.evaluate("""async () => {
            const result = await axe.run({include: [['figure.diagram']]}, {resultTypes: ['violations']});
            return result.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
        }""")
        assert violations == [], path
    context.close()
