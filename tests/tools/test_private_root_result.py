"""The result page, the API and the signed-mail check for a chain under an organisation's own root."""
from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.diagnostics.builders import make_chain, pem
from tests.diagnostics.cms_builders import detached_email, signed_der

from .test_api import assert_report

pytestmark = pytest.mark.django_db

URL = "/tools/diagnose/"


@pytest.fixture(scope="module")
def acme():
    return make_chain(
        root_options={"common_name": "Acme Widgets Root CA 2026", "organization": "Acme Widgets"},
        intermediate_options={"common_name": "Acme Widgets Mail CA", "organization": "Acme Widgets"})


def result(client, **fields) -> str:
    response = client.post(URL, fields, follow=True)
    assert response.status_code == 200
    return response.content.decode("utf-8")


def boxes(page: str) -> list[tuple[str, str]]:
    """(state, text) of each box of the chain picture."""
    return re.findall(r'<li class="chain-box state-([a-z]+)">(.*?)</li>', page, re.S)


def test_the_result_asks_for_the_root_and_draws_the_intermediate_as_it_is(client, acme):
    page = result(client, text=acme.supplied_pem.decode())
    assert 'data-code="chain.private_root_not_supplied"' in page
    assert 'data-code="chain.missing_intermediate"' not in page
    drawn = boxes(page)
    assert [state for state, _ in drawn] == ["ok", "ok", "missing"]
    assert "Acme Widgets Mail CA" in drawn[1][1]
    assert "Your organisation's root (not supplied)" in unescape(drawn[2][1]) and "Acme Widgets Root CA 2026" in drawn[2][1]
    assert 'href="/tools/diagnose/#id_trust"' in drawn[2][1]


def test_the_result_never_asks_for_the_intermediate_that_was_supplied(client, acme):
    page = result(client, text=acme.supplied_pem.decode())
    assert "An intermediate certificate is missing" not in page
    assert "Add the certificate of \u201cAcme Widgets Mail CA\u201d" not in page
    assert "Add the certificate of &#x201C;Acme Widgets Mail CA" not in page


def test_the_learn_more_of_the_finding_lists_each_mail_app(client, acme):
    page = result(client, text=acme.supplied_pem.decode())
    finding = re.search(r'data-code="chain.private_root_not_supplied">(.*?)</article>', page, re.S).group(1)
    assert 'href="/guides/distribute-private-root/#add-your-root"' in finding
    for section in ("/guides/outlook-windows-classic/#private-root", "/guides/outlook-for-mac/#trust",
                    "/guides/apple-mail-macos/#private-root", "/guides/iphone-ipad-mail/#private-root",
                    "/guides/thunderbird/#trust-issuer", "/guides/new-outlook-and-outlook-web/#admin-prerequisites"):
        assert f'href="{section}"' in finding, section


def test_a_public_chain_missing_its_intermediate_keeps_the_missing_certificate_box(client):
    chain = make_chain(aia_ca_issuers="http://crt.example-ca.com/issuing.crt")
    page = result(client, text=pem(chain.leaf).decode())
    drawn = boxes(page)
    assert drawn[-1][0] == "missing" and "Missing certificate" in drawn[-1][1]
    assert "#id_trust" not in drawn[-1][1]
    assert 'data-code="chain.private_root_not_supplied"' not in page


def test_a_pasted_root_nobody_trusts_offers_the_form_field_and_no_absent_box(client, acme):
    page = result(client, text=(acme.supplied_pem + acme.root_pem).decode())
    drawn = boxes(page)
    assert [state for state, _ in drawn] == ["ok", "ok", "err"]
    assert 'href="/tools/diagnose/#id_trust"' in drawn[2][1]
    assert 'href="/tools/diagnose/#id_trust"' not in drawn[1][1]


def test_with_the_root_added_on_the_form_the_chain_is_trusted(client, acme):
    page = result(client, text=acme.supplied_pem.decode(),
                  trust=SimpleUploadedFile("root.pem", acme.root_pem))
    assert "verdict-pass" in page
    assert "chain.private_root_not_supplied" not in page
    assert [state for state, _ in boxes(page)] == ["ok", "ok", "ok"]
    assert "#id_trust" not in "".join(text for _, text in boxes(page))


def test_the_api_carries_the_judgement_and_its_evidence(client, acme):
    data = assert_report(client.post("/api/v1/diagnose", {"text": acme.supplied_pem.decode()}))
    found = next(f for f in data["findings"] if f["code"] == "chain.private_root_not_supplied")
    assert found["details"]["judgement"] == "private_root"
    assert "issuer_named_root" in [item["rule"] for item in found["details"]["evidence"]]


def test_a_signed_message_under_a_private_root_gets_the_same_advice_on_the_page(client, acme):
    message = detached_email(signed_der(acme.leaf, chain=[acme.intermediate]))
    page = result(client, file=SimpleUploadedFile("signed.eml", message))
    assert 'data-code="chain.private_root_not_supplied"' in page
    assert 'data-code="chain.missing_intermediate"' not in page
    assert [state for state, _ in boxes(page)][-1] == "missing"
