from __future__ import annotations

import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.diagnostics.builders import make_chain, pem, rsa_key

from .helpers import csr, csr_pem, p12_with

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "expert"


@pytest.fixture(scope="module")
def chain():
    return make_chain(policies=("2.23.140.1.5.1.3",))


@pytest.mark.parametrize("path", ["/tools/pkcs12/", "/tools/csr/", "/tools/compliance/"])
def test_each_expert_page_shows_its_form(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"<form" in response.content and b"expert.css" in response.content
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]


def test_the_templates_use_no_inline_styles_or_scripts():
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        assert "style=" not in text and "<script" not in text and "onclick" not in text, template.name


def test_the_p12_inspector_shows_contents_protection_and_the_compatible_command(client, chain):
    data = p12_with(key=chain.leaf.key, certificate=chain.leaf)
    response = client.post("/tools/pkcs12/", follow=True, data={"file": SimpleUploadedFile("alice.p12", data), "password": "secret"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "PBES2 AES-256-CBC" in text and "PBKDF2-HMAC-SHA256" in text
    assert "-certpbe PBE-SHA1-3DES -keypbe PBE-SHA1-3DES -macalg sha1" in text
    assert "reported" in text and "incomplete" in text
    assert "secret" not in text  # the password is never echoed back


def test_the_p12_inspector_asks_for_the_organisations_root_not_the_intermediate_it_holds(client):
    private = make_chain(root_options={"common_name": "Acme Widgets Root CA 2026", "organization": "Acme Widgets"},
                         intermediate_options={"common_name": "Acme Widgets Mail CA", "organization": "Acme Widgets"})
    data = p12_with(key=private.leaf.key, certificate=private.leaf, extra=[private.intermediate])
    text = client.post("/tools/pkcs12/", follow=True, data={"file": SimpleUploadedFile("alice.p12", data),
                                                              "password": "secret"}).content.decode()
    assert "<code>chain.private_root_not_supplied</code>" in text
    assert "The root of a private certificate authority is not supplied or trusted" in text
    assert "complete for sending" in text and 'href="/guides/distribute-private-root/#add-your-root"' in text
    assert "pkcs12.chain_incomplete" not in text and "An intermediate certificate is missing" not in text
    assert "-certfile intermediates.pem" not in text


def test_the_p12_inspector_says_legacy_for_3des(client, chain):
    data = p12_with(key=chain.leaf.key, certificate=chain.leaf,
                    algorithm=pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC, mac=hashes.SHA1())
    text = client.post("/tools/pkcs12/", follow=True, data={"file": SimpleUploadedFile("a.p12", data),
                                          "password": "secret"}).content.decode()
    assert "pbeWithSHAAnd3-KeyTripleDES-CBC" in text and "older encryption: imported almost everywhere" in text


def test_the_p12_inspector_needs_a_file(client):
    assert client.post("/tools/pkcs12/", follow=True, data={"password": "x"}).status_code == 400


def test_the_csr_checker_shows_the_request_and_its_problems(client):
    request = csr(key=rsa_key(1024))
    response = client.post("/tools/csr/", follow=True, data={"text": csr_pem(request).decode(), "email": "bob@example.com"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "The key in the request is too short" in text and "The request is for a different address" in text
    assert "BEGIN PUBLIC KEY" in text


def test_the_csr_checker_says_when_there_is_no_request(client, chain):
    text = client.post("/tools/csr/", follow=True, data={"text": pem(chain.leaf).decode()}).content.decode()
    assert "No certificate request was found" in text


def test_the_compliance_page_shows_type_lint_and_the_client_table(client, chain):
    response = client.post("/tools/compliance/", follow=True, data={"text": pem(chain.leaf, chain.intermediate).decode(), "lint": "on"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Mailbox-validated, strict generation" in text
    assert "pkilint" in text and "Thunderbird" in text and "Outlook on the web" in text
    assert "compliance.intermediate.no_crl" in text


def test_the_compliance_page_skips_the_linter_unless_asked(client, chain):
    text = client.post("/tools/compliance/", follow=True, data={"text": pem(chain.leaf).decode()}).content.decode()
    assert "linter was not run" in text and "Apple Mail (macOS)" in text


def test_the_pages_honour_the_rate_limit(client, settings, chain):
    settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE = 1
    body = {"text": csr_pem(csr()).decode()}
    assert client.post("/tools/csr/", body).status_code == 303
    response = client.post("/tools/csr/", body)
    assert response.status_code == 429 and re.match(r"\d+", response["Retry-After"])


def test_the_429_page_keeps_what_was_pasted(client, settings):
    settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE = 1
    body = {"text": csr_pem(csr()).decode(), "email": "alice@example.com"}
    client.post("/tools/csr/", body)
    response = client.post("/tools/csr/", body)
    page = response.content.decode()
    assert response.status_code == 429
    assert "-----BEGIN CERTIFICATE REQUEST-----" in page and 'value="alice@example.com"' in page


def test_compliance_on_a_private_ca_says_first_the_rules_bind_public_cas_and_lists_advice(client, chain):
    """Issue 11 item 10: on a private CA's certificate the BR findings are advice, and the page says why first."""
    text = client.post("/tools/compliance/", follow=True,
                       data={"text": pem(chain.leaf, chain.intermediate).decode(), "lint": "on"}).content.decode()
    applies = text.index('id="compliance-applies"')
    assert "apply only to publicly trusted" in text[applies:applies + 400]
    assert applies < text.index('class="x-findings"')
    assert 'x-badge x-info">advice<' in text
    assert 'x-badge x-error">error<' not in text
