"""Journeys in a real Chromium: a wrong password then the right one without choosing the file again, an
Outlook .msg, "Try an example", a pasted error message, the help beside the form, and checking again."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from smimecenter.tools.examples import HERE as EXAMPLES_DIR
from tests.browser.test_diagnose_browser import AXE, serious_violations
from tests.tools.certificates import P12_PASSWORD, material

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.usefixtures("fresh_state")]

MSG = Path(__file__).resolve().parent.parent / "data" / "msg" / "simple-java-mail-signed.msg"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


def choose_p12(page, base: str, tmp_path: Path, password: str) -> None:
    p12 = tmp_path / "alice.p12"
    p12.write_bytes(material().p12)
    page.goto(base + "/tools/diagnose/")
    page.locator("#id_file").set_input_files(str(p12))
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_selector(".verdict")


def test_a_wrong_password_then_the_right_one_without_choosing_the_file_again(live_server, page, tmp_path,
                                                                               artifacts: Path):
    choose_p12(page, live_server.url, tmp_path, "guess-1234")
    # Could not check: nothing about the certificate is claimed, and the password is asked again.
    assert page.locator(".verdict-headline").inner_text().strip().endswith(
        "Could not open the .p12 file: the password is not right")
    assert "The password does not open “alice.p12”" in page.locator("#verdict-sentence").inner_text()
    assert page.locator(".capabilities, .findings, [data-code]").count() == 0
    for words in ("Will not work", "No certificate was found", "holds no private key", "Cannot sign"):
        assert words not in page.content()
    password = page.locator("#id_password")
    assert password.evaluate("element => element === document.activeElement")
    assert password.input_value() == ""
    assert page.locator("input[type=file]").count() == 0  # nothing to choose again

    password.fill("guess-5678")
    page.get_by_role("button", name="Open the file and check").click()
    page.wait_for_selector("#tries-notice")
    assert "2 passwords have been tried" in page.locator("#tries-notice").inner_text()
    page.screenshot(path=str(artifacts / "password-retry-second-try.png"), full_page=True)

    page.locator("#id_password").fill(P12_PASSWORD)
    page.get_by_role("button", name="Open the file and check").click()
    page.wait_for_selector(".certificates")
    assert "/tools/diagnose/result/" in page.url
    assert "alice@example.com" in page.locator(".certificates").inner_text()
    assert page.locator("[data-code='pkcs12.wrong_password']").count() == 0
    assert P12_PASSWORD not in page.content()


def test_the_outlook_user_checks_a_signed_msg(live_server, page):
    page.goto(live_server.url + "/tools/diagnose/")
    page.locator("#id_file").set_input_files(str(MSG))
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_selector(".signed-messages")
    facts = page.locator(".signed-messages").inner_text()
    assert "Benny Bottema" in facts
    assert "Yes: the message is exactly what was signed." in facts
    assert "Valid" in facts
    assert page.locator("[data-code='input.unreadable']").count() == 0
    assert page.locator("[data-code='message.signature_valid']").count() == 1


def test_a_person_without_a_file_tries_the_examples(live_server, page):
    page.goto(live_server.url + "/tools/diagnose/")
    page.get_by_role("button", name="A changed signed message").click()
    page.wait_for_selector(".signed-messages")
    assert "the message was changed after it was signed" in page.locator(".signed-messages").inner_text()
    assert page.locator("[data-code='message.signature_invalid']").count() == 1

    page.goto(live_server.url + "/tools/diagnose/")
    page.get_by_role("button", name="A good chain").click()
    page.wait_for_selector(".verdict")
    assert page.locator(".verdict.verdict-pass").count() == 1
    assert "examples' own root" in page.content()


def test_a_missing_intermediate_is_added_on_the_result_page_and_checked_again(live_server, page, artifacts: Path):
    page.goto(live_server.url + "/tools/diagnose/")
    page.get_by_role("button", name="A missing intermediate").click()
    page.wait_for_selector("#recheck-form")
    assert page.locator("[data-code='chain.missing_intermediate']").count() == 1
    page.locator("#recheck").screenshot(path=str(artifacts / "recheck-missing-intermediate.png"))
    end = "-----END CERTIFICATE-----\n"
    issuing_ca = (EXAMPLES_DIR / "good-chain.pem").read_text().split(end)[1] + end  # the chain's second certificate
    page.locator("#recheck-file").set_input_files(
        files=[{"name": "issuing-ca.pem", "mimeType": "application/x-pem-file", "buffer": issuing_ca.encode()}])
    page.locator("#recheck-submit").click()
    page.wait_for_selector(".verdict-pass")
    assert page.locator("[data-code='chain.missing_intermediate']").count() == 0


def test_a_pasted_error_message_leads_to_its_troubleshooting_page(live_server, page):
    page.goto(live_server.url + "/tools/diagnose/")
    page.locator("#id_text").fill("The digital signature on this item is invalid or not trusted.")
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_url("**/troubleshooting/digital-signature-invalid-or-not-trusted/")
    assert "The digital signature on this item is invalid or not trusted" in page.locator("h1").inner_text()
    assert page.locator(".verdict").count() == 0


def test_the_help_beside_the_form_leads_to_the_guide_section(live_server, page):
    page.goto(live_server.url + "/tools/diagnose/")
    page.locator("#help-thunderbird summary").click()
    assert "File > Save As > File" in page.locator("#help-thunderbird").inner_text()
    page.get_by_role("link", name="Step by step for Thunderbird").click()
    page.wait_for_url("**/guides/save-a-message-or-export-your-certificate/#thunderbird")
    assert page.locator("#thunderbird").is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_form_with_its_help_and_the_password_retry_at_two_sizes(browser, live_server, scheme, tmp_path,
                                                                       artifacts: Path):
    for size, viewport in SIZES.items():
        context = browser.new_context(color_scheme=scheme, viewport=viewport, bypass_csp=AXE.exists())
        tab = context.new_page()
        tab.goto(live_server.url + "/tools/diagnose/")
        tab.locator("#help-outlook-windows summary").click()
        help_box = tab.locator("#input-help").bounding_box()
        form_box = tab.locator("#diagnose-form").bounding_box()
        if size == "desktop":
            assert help_box["x"] > form_box["x"] + form_box["width"]  # beside the form
        else:
            assert help_box["y"] > form_box["y"]                       # below it, full width
            assert tab.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        if AXE.exists():
            assert serious_violations(tab) == []
        tab.screenshot(path=str(artifacts / f"diagnose-form-help-{size}-{scheme}.png"), full_page=True)
        choose_p12(tab, live_server.url, tmp_path, "guess-1234")
        if AXE.exists():
            assert serious_violations(tab) == []
        assert tab.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        tab.screenshot(path=str(artifacts / f"password-retry-{size}-{scheme}.png"), full_page=True)
        context.close()


def test_after_too_many_checks_the_carried_file_and_its_password_field_are_still_there(live_server, page, tmp_path,
                                                                                          settings):
    settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE = 1
    choose_p12(page, live_server.url, tmp_path, "guess-1234")
    page.locator("#id_password").fill(P12_PASSWORD)
    page.get_by_role("button", name="Open the file and check").click()
    page.wait_for_selector("#carried-files")
    assert "many checks from your address" in page.locator("#form-problem").inner_text()
    assert "“alice.p12”" in page.locator("#carried-files").inner_text()
    assert page.locator("#id_password").is_visible()  # diagnose.js keeps it in view for the carried .p12
    assert page.locator("#id_password").input_value() == ""
