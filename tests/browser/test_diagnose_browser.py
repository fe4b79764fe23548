"""The certificate check in a real Chromium: paste, upload a .p12, follow a link, keyboard only, axe-core."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.tools.certificates import P12_PASSWORD, pem

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses that without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.usefixtures("fresh_state")]

AXE = Path(__file__).resolve().parent.parent.parent / "node_modules" / "axe-core" / "axe.min.js"


def submit_pasted(page, base: str, text: str, email: str = "") -> None:
    page.goto(base + "/tools/diagnose/")
    page.locator("#id_text").fill(text)
    if email:
        page.locator("#id_email").fill(email)
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_selector(".verdict")


def test_a_person_pastes_a_chain_and_reads_the_verdict(live_server, page, certs, artifacts: Path):
    submit_pasted(page, live_server.url, pem(certs.chain.leaf).decode(), "alice@example.com")
    assert page.locator(".verdict-headline").inner_text().strip().endswith("Will not work as it is")
    sentence = page.locator("#verdict-sentence").inner_text()
    assert "intermediate certificate is missing" in sentence
    assert page.locator(".chain-box.state-missing").count() == 1
    assert page.locator("#capability-sign").is_visible()
    page.screenshot(path=str(artifacts / "diagnose-missing-intermediate.png"), full_page=True)


def test_the_password_field_appears_for_a_p12_and_the_file_opens(live_server, page, certs, tmp_path):
    p12 = tmp_path / "alice.p12"
    p12.write_bytes(certs.p12)
    page.goto(live_server.url + "/tools/diagnose/")
    password = page.locator("#id_password")
    assert not password.is_visible()  # only shown once a .p12 or .pfx is chosen
    page.locator("#id_file").set_input_files(str(p12))
    assert password.is_visible()
    assert "alice.p12" in page.locator("#chosen-files").inner_text()
    password.fill(P12_PASSWORD)
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_selector(".verdict")
    assert page.locator("text=Your certificate:").count() >= 1
    assert "alice@example.com" in page.locator(".certificates").inner_text()
    assert P12_PASSWORD not in page.content()
    assert page.locator("[data-code='pkcs12.wrong_password']").count() == 0


def test_the_password_field_is_there_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(live_server.url + "/tools/diagnose/")
    assert tab.locator("#id_password").is_visible()
    context.close()


def test_learn_more_leads_to_the_right_section(live_server, page, certs):
    submit_pasted(page, live_server.url, pem(certs.chain.leaf).decode())
    finding = page.locator("[data-code='chain.missing_intermediate']")
    finding.locator("a.learn-more").click()
    page.wait_for_url("**/learn/why-trust-fails/#missing-intermediate")
    heading = page.locator("#missing-intermediate")
    assert heading.is_visible()
    assert heading.evaluate("element => element.getBoundingClientRect().top") < 200


def tab_until(page, predicate: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate):
            return
    raise AssertionError(f"the keyboard never reached {predicate}")


def test_the_whole_check_works_with_the_keyboard_alone(live_server, page, certs):
    page.goto(live_server.url + "/tools/diagnose/")
    tab_until(page, "document.activeElement.id === 'id_text'")
    page.keyboard.insert_text(certs.chain.supplied_pem.decode())
    tab_until(page, "document.activeElement.id === 'id_email'")
    page.keyboard.type("alice@example.com")
    tab_until(page, "document.activeElement.type === 'submit' && document.activeElement.textContent === 'Check'")
    page.keyboard.press("Enter")
    page.wait_for_selector(".verdict")
    tab_until(page, "document.activeElement.tagName === 'SUMMARY'", limit=80)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.parentElement.open") is True


def test_screenshots_of_the_result_in_light_and_dark(browser, live_server, certs, artifacts: Path):
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1200, "height": 900})
        tab = context.new_page()
        submit_pasted(tab, live_server.url, pem(certs.expired_leaf, certs.chain.intermediate).decode(),
                      "bob@example.org")
        tab.locator(".cert-card summary").first.click()
        background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(18, 22, 28)")
        tab.screenshot(path=str(artifacts / f"diagnose-result-{scheme}.png"), full_page=True)
        context.close()


def serious_violations(tab) -> list[dict]:
    tab.add_script_tag(path=str(AXE))
    violations = tab.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                             targets: v.nodes.map(n => n.target.join(' '))}));
    }""")
    return [v for v in violations if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_problems_on_the_form_and_the_result(browser, live_server, certs, scheme):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make test installs it with npm)")
    # The CSP would block the injected axe script; only this test's context bypasses it.
    context = browser.new_context(bypass_csp=True, color_scheme=scheme, viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    tab.goto(live_server.url + "/tools/diagnose/")
    assert serious_violations(tab) == []
    submit_pasted(tab, live_server.url, pem(certs.expired_leaf).decode(), "bob@example.org")
    tab.locator(".cert-card summary").first.click()
    assert serious_violations(tab) == []
    tab.goto(live_server.url + "/api/")
    assert serious_violations(tab) == []
    tab.goto(live_server.url + "/")  # the compact form on the home page
    assert serious_violations(tab) == []
    context.close()


def test_dropped_files_join_the_form_and_are_checked(live_server, page, certs):
    page.goto(live_server.url + "/tools/diagnose/")
    page.evaluate("""([leaf, intermediate]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([leaf], "leaf.pem", {type: "application/x-pem-file"}));
        transfer.items.add(new File([intermediate], "issuer.pem", {type: "application/x-pem-file"}));
        const zone = document.getElementById("drop-zone");
        zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }""", [certs.chain.leaf.pem.decode(), certs.chain.intermediate.pem.decode()])
    assert page.locator("#id_file").evaluate("input => input.files.length") == 2
    assert "leaf.pem, issuer.pem" in page.locator("#chosen-files").inner_text()
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_selector(".verdict")
    assert page.locator(".cert-card").count() == 2


def test_the_whole_check_works_without_javascript(browser, live_server, certs, tmp_path):
    root = tmp_path / "root.pem"
    root.write_bytes(certs.chain.root_pem)
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    tab = context.new_page()
    tab.goto(live_server.url + "/tools/diagnose/?email=alice%40example.com")
    assert tab.locator("#id_email").input_value() == "alice@example.com"
    tab.locator("#id_text").fill(certs.chain.supplied_pem.decode())
    tab.locator("summary", has_text="own certificate authority").click()
    tab.locator("#id_trust").set_input_files(str(root))
    tab.get_by_role("button", name="Check", exact=True).click()
    tab.wait_for_selector(".verdict")
    assert "Trusted" in tab.locator(".verdict-headline").inner_text()
    with tab.expect_download() as download:
        tab.locator("#download-chain").click()
    assert download.value.suggested_filename == "chain.pem"
    assert Path(download.value.path()).read_bytes() == pem(certs.chain.leaf, certs.chain.intermediate)
    context.close()
