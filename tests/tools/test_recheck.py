"""Checking again without starting over: the password retry and the re-check form on every result."""
from __future__ import annotations

import base64
import html
import logging
import pickle
import re

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from smimecenter.tools import recheck
from smimecenter.tools.results import keep_result

from .certificates import P12_PASSWORD, material, other_root, pem

pytestmark = pytest.mark.django_db

URL = "/tools/diagnose/"
RESULT = re.compile(r"^/tools/diagnose/result/[A-Za-z0-9_-]{43}/$")
HIDDEN = re.compile(r'<input type="hidden" name="(carried|carried_name|carried_trust|tries|list)" value="([^"]*)">')


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def hidden_fields(page: str, form_id: str) -> dict[str, list[str]]:
    """The hidden fields of one form of the page, as the browser would send them back."""
    start = page.index(f'id="{form_id}"')
    form = page[start:page.index("</form>", start)]
    fields: dict[str, list[str]] = {}
    for name, value in HIDDEN.findall(form):
        fields.setdefault(name, []).append(html.unescape(value))
    return fields


def kept_entries() -> str:
    return "\n".join(repr(pickle.loads(value)) for value in cache._cache.values())


def wrong_password(client: Client, **extra):
    return client.post(URL, {"file": upload("alice.p12", material().p12), "password": "guess-1234", **extra})


# --- the password retry --------------------------------------------------------------------------

def test_a_wrong_password_is_answered_at_once_asking_for_it_again_with_the_file_in_the_form(client, certs):
    response = wrong_password(client, email="alice@example.com")
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "Could not open the .p12 file: the password is not right" in page
    assert 'data-state="could_not_check"' in page
    assert "The password does not open “alice.p12”" in page
    assert "This says nothing about your certificate or your key" in page
    assert "you do not need to choose it again" in page
    fields = hidden_fields(page, "password-retry-form")
    assert [base64.b64decode(value) for value in fields["carried"]] == [certs.p12]
    assert fields["carried_name"] == ["“alice.p12”"]
    assert fields["tries"] == ["1"]
    assert 'name="csrfmiddlewaretoken"' in page
    assert re.search(r'name="email"[^>]*value="alice@example.com"', page)


def test_the_retry_never_echoes_the_password_and_keeps_nothing(client, certs):
    page = wrong_password(client).content.decode()
    assert "guess-1234" not in page
    assert re.search(r'<input type="password" name="password"(?![^>]*value=)', page)
    # Nothing was stored: no result behind a token, and the file is nowhere in the cache.
    assert "tools:result:" not in kept_entries()
    assert base64.b64encode(certs.p12).decode()[:40] not in kept_entries()


def test_the_right_password_then_opens_the_carried_file_without_choosing_it_again(client, certs):
    fields = hidden_fields(wrong_password(client).content.decode(), "password-retry-form")
    response = client.post(URL, {**fields, "password": P12_PASSWORD})
    assert response.status_code == 303
    assert RESULT.match(response["Location"])
    page = client.get(response["Location"]).content.decode()
    assert "pkcs12.wrong_password" not in page
    assert "alice@example.com" in page  # the certificate inside the file was read
    # What is kept is the report: the .p12 file as uploaded is not.
    assert base64.b64encode(certs.p12).decode()[:40] not in kept_entries()
    assert P12_PASSWORD not in kept_entries()


def test_two_wrong_passwords_are_said_plainly(client):
    fields = hidden_fields(wrong_password(client).content.decode(), "password-retry-form")
    first_page = wrong_password(client).content.decode()
    assert 'id="tries-notice"' not in first_page
    second = client.post(URL, {**fields, "password": "guess-5678"}).content.decode()
    assert "That password did not open the file either. 2 passwords have been tried, and none was right." in second
    assert "/troubleshooting/p12-wrong-password/" in second
    assert hidden_fields(second, "password-retry-form")["tries"] == ["2"]


def test_a_missing_password_asks_for_it_without_counting_a_wrong_one(client, certs):
    response = client.post(URL, {"file": upload("alice.p12", certs.p12)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "“alice.p12” is protected by a password, and none was given" in page
    assert hidden_fields(page, "password-retry-form")["tries"] == ["0"]


def test_the_pasted_text_and_a_root_travel_back_with_the_file(client, certs):
    response = client.post(URL, {"file": upload("alice.p12", certs.p12), "password": "nope",
                                 "text": certs.chain.supplied_pem.decode(),
                                 "trust": upload("root.pem", pem(certs.chain.root))})
    fields = hidden_fields(response.content.decode(), "password-retry-form")
    assert fields["carried_name"] == ["the pasted text", "“alice.p12”"]
    assert [base64.b64decode(v) for v in fields["carried_trust"]] == [pem(certs.chain.root)]
    result = client.post(URL, {**fields, "password": P12_PASSWORD}, follow=True).content.decode()
    assert "trusted" in result.lower()
    assert 'data-code="chain.missing_intermediate"' not in result


def test_a_carried_field_that_is_not_base64_is_a_clear_form_error(client):
    response = client.post(URL, {"carried": "not base64 at all!", "carried_name": "x.p12", "password": "p"})
    assert response.status_code == 400
    assert "did not come back whole" in response.content.decode()


def test_the_retry_form_is_protected_by_csrf(certs):
    browser = Client(enforce_csrf_checks=True)
    fields = {"carried": base64.b64encode(certs.p12).decode(), "carried_name": "“alice.p12”",
              "password": P12_PASSWORD}
    assert browser.post(URL, fields).status_code == 403


def test_the_retry_is_rate_limited_like_the_form_and_keeps_the_file(client, settings):
    settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE = 1
    fields = hidden_fields(wrong_password(client).content.decode(), "password-retry-form")
    response = client.post(URL, {**fields, "password": P12_PASSWORD})
    page = response.content.decode()
    assert response.status_code == 429
    assert response["Cache-Control"] == "no-store"
    assert "Still here from your last check, and sent again with this form: “alice.p12”" in page
    assert hidden_fields(page, "diagnose-form")["carried"] == fields["carried"]
    assert "data-carries-p12" in page  # the password field stays in view for the carried .p12
    assert P12_PASSWORD not in page


def test_carried_files_count_against_the_size_limit_once_decoded(client, settings):
    settings.DIAGNOSE_MAX_INPUT_BYTES = 10_000
    big = base64.b64encode(b"0" * 10_001).decode()
    response = client.post(URL, {"carried": big, "carried_name": "“big.p12”"}, follow=True)
    assert response.status_code == 413
    within = base64.b64encode(b"0" * 9_000).decode()  # a third larger as base64, still within once decoded
    assert client.post(URL, {"carried": within, "carried_name": "“small.bin”"}).status_code == 303


def test_carried_files_are_not_logged(client, certs, caplog):
    caplog.set_level(logging.DEBUG)
    fields = hidden_fields(wrong_password(client).content.decode(), "password-retry-form")
    client.post(URL, {**fields, "password": P12_PASSWORD})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert fields["carried"][0][:40] not in logged
    assert P12_PASSWORD not in logged


# --- the re-check form on a result page ----------------------------------------------------------

def result_page(client: Client, **fields) -> str:
    response = client.post(URL, fields, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_a_result_offers_to_add_the_missing_intermediate_and_sends_the_certificates_again(client, certs):
    page = result_page(client, text=pem(certs.chain.leaf).decode(), email="alice@example.com",
                       trust=upload("root.pem", pem(certs.chain.root)))
    assert "Add the missing certificate (the intermediate)" in page
    fields = hidden_fields(page, "recheck-form")
    assert base64.b64decode(fields["carried"][0]).decode().count("BEGIN CERTIFICATE") == 1
    assert [base64.b64decode(v) for v in fields["carried_trust"]] == [pem(certs.chain.root)]
    again = client.post(URL, {**fields, "file": upload("ca.pem", pem(certs.chain.intermediate)),
                              "email": "alice@example.com"}, follow=True).content.decode()
    assert 'data-code="chain.missing_intermediate"' not in again
    assert "is trusted for email by" in again or "works for S/MIME" in again


def test_a_result_can_be_checked_again_with_another_address(client, certs):
    page = result_page(client, text=certs.chain.supplied_pem.decode(), email="alice@example.com")
    fields = hidden_fields(page, "recheck-form")
    again = client.post(URL, {**fields, "email": "bob@example.org"}, follow=True).content.decode()
    assert re.search(r'id="recheck-email"[^>]*value="bob@example.org"', again)
    assert 'data-code="identity.email_mismatch"' in again or "bob@example.org" in again


def test_adding_your_root_makes_an_untrusted_private_chain_trusted(client):
    private = other_root()
    from .certificates import make_intermediate
    from tests.diagnostics.builders import make_leaf

    intermediate = make_intermediate(issuer=private, common_name="Acme Issuing CA", organization="Acme Widgets")
    leaf = make_leaf(issuer=intermediate)
    page = result_page(client, text=pem(leaf, intermediate, private).decode())
    assert 'data-code="chain.untrusted_root"' in page
    assert re.search(r'<details class="field field-trust" id="recheck-trust" open>', page)
    fields = hidden_fields(page, "recheck-form")
    again = client.post(URL, {**fields, "trust": upload("root.cer", pem(private))}, follow=True).content.decode()
    assert 'data-code="chain.untrusted_root"' not in again
    # The root added for that check goes back as a root, not as a certificate to check.
    fields_again = hidden_fields(again, "recheck-form")
    assert [base64.b64decode(v) for v in fields_again["carried_trust"]] == [pem(private)]
    assert "and so is the root you added" in again


def test_a_trusted_result_does_not_offer_to_add_a_root(client, certs):
    page = result_page(client, text=certs.chain.supplied_pem.decode(), trust=upload("root.pem", pem(certs.chain.root)))
    assert re.search(r'<details class="field field-trust" id="recheck-trust">', page)
    assert "Add the missing certificate" not in page


def test_a_message_result_says_the_message_must_be_chosen_again(client, certs):
    page = result_page(client, file=upload("message.eml", certs.signed_email))
    assert 'id="recheck-message-again"' in page
    # The message text is not in the form: only the signer's public certificates are.
    assert "lunch at noon" not in base64.b64decode(hidden_fields(page, "recheck-form")["carried"][0]).decode()


def test_a_p12_result_says_the_key_is_not_checked_again(client, certs):
    page = result_page(client, file=upload("alice.p12", certs.p12), password=P12_PASSWORD)
    assert 'id="recheck-p12-again"' in page
    fields = hidden_fields(page, "recheck-form")
    carried = base64.b64decode(fields["carried"][0]).decode()
    assert "PRIVATE KEY" not in carried and "BEGIN CERTIFICATE" in carried


# --- the offer, from the report alone ------------------------------------------------------------

def test_the_anchor_is_not_sent_again_as_a_certificate_and_added_roots_go_back_as_roots(certs):
    from smimecenter.diagnostics import diagnose

    report = diagnose([certs.three_pem], trust=[pem(certs.chain.root)]).to_dict()
    carried = recheck.from_report(report)
    assert carried.trust == []
    assert carried.inputs[0].decode().count("BEGIN CERTIFICATE") == 2  # leaf and intermediate, not the anchor
    roots = recheck.root_certificates([b"a ticket saying: " + pem(certs.chain.root) + b" thanks", b"not a root"])
    assert roots == [pem(certs.chain.root).decode()]  # only the certificate is kept, not the text around it
    assert recheck.from_report(report, roots).trust == [pem(certs.chain.root)]


def test_could_not_open_reads_the_password_findings_only():
    assert recheck.could_not_open({"findings": [{"code": "pkcs12.wrong_password"}]})
    assert recheck.could_not_open({"findings": [{"code": "pkcs12.password_required"}]})
    assert not recheck.could_not_open({"findings": [{"code": "pkcs12.modern_encryption"}]})
    assert not recheck.could_not_open({"findings": []})


def test_the_offer_reads_the_agreed_add_your_root_codes():
    for code in ("chain.private_root_not_supplied", "chain.untrusted_root"):
        assert recheck.offer({"findings": [{"code": code}]})["add_root"]
    assert not recheck.offer({"findings": [{"code": "chain.missing_intermediate"}]})["add_root"]
    assert recheck.offer({"findings": [{"code": "chain.missing_intermediate"}]})["add_file"]


def test_a_kept_result_without_certificates_offers_only_to_add_a_file(client):
    token = keep_result({"findings": [], "certificates": [], "trust": {}, "capabilities": {}, "messages": [],
                         "status": "fail", "summary": "x", "checked_at": "2026-12-05T09:00:00Z", "chain": []})
    page = client.get(f"/tools/diagnose/result/{token}/").content.decode()
    assert "Nothing from this result can be sent again" in page
    assert "carried" not in hidden_fields(page, "recheck-form")


def test_a_pasted_private_key_never_travels_back_in_the_password_page(client, certs):
    # A key pasted beside a .p12 whose password was wrong: the page carries the .p12 and the
    # certificates back, never the key (private keys are not echoed, base64 or not).
    key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    pasted = key.decode() + "\n" + certs.chain.leaf.pem.decode()
    response = client.post("/tools/diagnose/", {
        "text": pasted, "password": "not-it",
        "file": SimpleUploadedFile("alice.p12", certs.p12, content_type="application/x-pkcs12")})
    page = response.content.decode()
    assert 'id="password-retry-form"' in page
    carried = [base64.b64decode(value) for value in re.findall(r'name="carried" value="([^"]+)"', page)]
    assert certs.p12 in carried
    assert any(b"BEGIN CERTIFICATE" in data for data in carried)
    assert not any(b"PRIVATE KEY" in data for data in carried)


def test_a_file_that_is_only_a_der_private_key_is_not_carried_back():
    key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    certificate = b"-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n"
    inputs, names = recheck.without_private_keys([key, certificate], ["“key.der”", "the pasted text"])
    assert names == ["the pasted text"] and len(inputs) == 1
