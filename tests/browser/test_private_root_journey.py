"""The admin of a small business with its own CA checks a colleague's certificate in a real Chromium.

They paste the certificate and its intermediate (the root stays on the CA), read that the organisation's
root is what is missing (never "add the intermediate"), read the guide section on installing it, come
back, add the root with the form's "My organisation runs its own certificate authority" and get a trusted
verdict.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.diagnostics.builders import make_chain

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.usefixtures("fresh_state")]

# A root given for one check trusts only where it is installed (the verdict's trust scope).
TRUSTED_WORDS = re.compile(r"trusted on devices that have this root installed|trusted for email by your "
                           r"organisation.s root")


@pytest.fixture(scope="module")
def acme():
    return make_chain(
        root_options={"common_name": "Acme Widgets Root CA 2026", "organization": "Acme Widgets"},
        intermediate_options={"common_name": "Acme Widgets Mail CA", "organization": "Acme Widgets"})


def check(page, pasted: str) -> None:
    page.locator("#id_text").fill(pasted)
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_selector(".verdict")


def test_the_admin_adds_the_organisations_root_and_gets_a_trusted_verdict(live_server, page, acme,
                                                                           tmp_path: Path):
    pasted = acme.supplied_pem.decode()
    page.goto(live_server.url + "/tools/diagnose/")
    check(page, pasted)

    # The verdict names the root, not the intermediate that is right there.
    headline = page.locator(".verdict-headline").inner_text()
    assert "Your organisation's root is needed to finish the check" in headline
    assert "Will not work" not in headline
    assert "organisation's root" in page.locator("#verdict-sentence").inner_text()
    first = page.locator("article.finding").first
    assert first.get_attribute("data-code") == "chain.private_root_not_supplied"
    text = page.locator("main").inner_text()
    assert "add the intermediate" not in text.lower()
    assert "An intermediate certificate is missing" not in text
    assert page.locator(".chain-box.state-err").count() == 0
    absent = page.locator(".chain-box.state-missing")
    assert absent.count() == 1
    assert "Your organisation's root (not supplied)" in absent.inner_text()
    assert "Acme Widgets Root CA 2026" in absent.inner_text()
    result_url = page.url

    # The guide section, then back to the same result.
    page.locator("[data-code='chain.private_root_not_supplied'] a.learn-more").click()
    page.wait_for_url("**/guides/distribute-private-root/#add-your-root")
    heading = page.locator("#add-your-root")
    assert heading.is_visible()
    assert page.locator("a[href='/guides/thunderbird/#trust-issuer']").first.is_visible()
    page.go_back()
    page.wait_for_url(result_url)
    assert page.locator("[data-code='chain.private_root_not_supplied']").count() == 1

    # From the absent box to the form's own-CA field, opened where the link lands.
    absent = page.locator(".chain-box.state-missing")
    absent.get_by_role("link", name="Add your organisation's root and check again").click()
    page.wait_for_url("**/tools/diagnose/#id_trust")
    assert page.locator("details.field-trust").evaluate("element => element.open")
    # The field points back to the same guide section as the result.
    assert page.locator("details.field-trust a[href='/guides/distribute-private-root/#add-your-root']").is_visible()
    root_file = tmp_path / "acme-root.pem"
    root_file.write_bytes(acme.root_pem)
    page.locator("#id_trust").set_input_files(str(root_file))
    check(page, pasted)

    # A root given for this check only: trusted where that root is installed, not everywhere.
    assert "Trusted on devices that have your root installed" in page.locator(".verdict-headline").inner_text()
    assert TRUSTED_WORDS.search(page.locator("#verdict-sentence").inner_text())
    assert page.locator(".chain-box.state-missing").count() == 0
    assert page.locator("[data-code='chain.private_root_not_supplied']").count() == 0
