"""The result page carries the mail-app table, the .p12 summary and the on-demand compliance check."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.diagnostics.builders import make_chain, pem, pkcs12_bytes

pytestmark = pytest.mark.django_db


def test_the_result_shows_which_mail_apps_can_use_the_certificate(client: Client) -> None:
    chain = make_chain()
    html = client.post("/tools/diagnose/", follow=True, data={"text": pem(chain.leaf, chain.intermediate).decode()}).content.decode()
    assert "Which mail apps can use it" in html
    for app in ("Apple Mail", "Thunderbird", "Outlook"):
        assert app in html


def test_the_result_offers_compliance_on_demand_with_the_chain(client: Client) -> None:
    chain = make_chain()
    html = client.post("/tools/diagnose/", follow=True, data={"text": pem(chain.leaf, chain.intermediate).decode()}).content.decode()
    assert 'action="/tools/compliance/"' in html
    assert '<input type="hidden" name="lint" value="on">' in html
    # The linter itself does not run until asked.
    assert "pkilint" not in html.split('action="/tools/compliance/"')[0].split("compliance-offer-heading")[-1]


def test_a_p12_result_summarises_its_protection_and_links_the_inspector(client: Client) -> None:
    chain = make_chain()
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, extra=[chain.intermediate], password=b"pw")
    html = client.post("/tools/diagnose/", follow=True, data={"file": SimpleUploadedFile("me.p12", data), "password": "pw"}).content.decode()
    assert "Your .p12 file" in html
    assert 'href="/tools/pkcs12/"' in html
    assert "holds 1 private key" in html
