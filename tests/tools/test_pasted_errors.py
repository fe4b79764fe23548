"""A pasted error message goes to the troubleshooting page about it; it is never checked as a certificate."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smimecenter.tools.error_messages import known_messages, normalised, page_for_pasted_error

from .certificates import pem

pytestmark = pytest.mark.django_db

URL = "/tools/diagnose/"
OUTLOOK = "The digital signature on this item is invalid or not trusted"


def test_the_outlook_error_goes_to_the_page_with_that_title(client):
    response = client.post(URL, {"text": OUTLOOK})
    assert response.status_code == 303
    assert response["Location"] == "/troubleshooting/digital-signature-invalid-or-not-trusted/"
    page = client.get(response["Location"]).content.decode()
    assert "The digital signature on this item is invalid or not trusted" in page


@pytest.mark.parametrize("pasted", [
    f"“{OUTLOOK}”", f'"{OUTLOOK}."', OUTLOOK.upper(), f"Error:\n  {OUTLOOK}\n", f"Outlook says: {OUTLOOK}. Why?",
])
def test_the_error_is_recognised_however_it_was_copied(client, pasted):
    response = client.post(URL, {"text": pasted})
    assert response["Location"] == "/troubleshooting/digital-signature-invalid-or-not-trusted/"


def test_every_error_text_the_pages_name_leads_to_its_own_page(client):
    known = known_messages()
    assert len(known) >= 10
    for key, page in known:
        response = client.post(URL, {"text": key})
        assert response.status_code == 303, key
        assert response["Location"] == page.url, key
    assert client.get("/troubleshooting/p12-wrong-password/").status_code == 200


def test_no_error_text_belongs_to_two_pages():
    keys = [key for key, _ in known_messages()]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(("pasted", "slug"), [
    ("Your Digital ID name cannot be found by the underlying security system.", "digital-id-name-cannot-be-found"),
    ("Unable to verify message signature", "unable-to-verify-message-signature"),
    ("MAC verification failed during PKCS12 import (wrong password?)", "p12-wrong-password"),
    ("Issued by an unknown certificate authority", "issued-by-unknown-certificate-authority"),
    ("Peer's certificate issuer is not recognized. SEC_ERROR_UNKNOWN_ISSUER",
     "issued-by-unknown-certificate-authority"),
])
def test_the_errors_of_other_mail_apps_are_recognised(pasted, slug):
    page = page_for_pasted_error(pasted)
    assert page is not None and page.slug == slug


def test_the_page_quoting_most_of_the_paste_wins():
    # Thunderbird's two lines: the second names the cause, an untrusted certificate authority.
    pasted = ("This message includes a digital signature, but the signature is invalid.\n"
              "The certificate used to sign the message was issued by a certificate authority that you do not "
              "trust for issuing this kind of certificate.")
    assert page_for_pasted_error(pasted).slug == "issued-by-unknown-certificate-authority"


def test_a_certificate_with_an_error_message_is_still_checked(client, certs):
    text = f"{OUTLOOK}\n" + certs.chain.supplied_pem.decode()
    response = client.post(URL, {"text": text})
    assert response.status_code == 303
    assert response["Location"].startswith("/tools/diagnose/result/")


def test_a_long_text_that_mentions_an_error_is_checked_not_routed(client):
    text = ("Hello, a colleague writes that " + OUTLOOK + ". " + "Some more words about the problem. " * 20)
    assert len(text) > 600
    assert client.post(URL, {"text": text})["Location"].startswith("/tools/diagnose/result/")


def test_an_error_message_with_a_file_is_checked(client, certs):
    upload = SimpleUploadedFile("alice.pem", pem(certs.chain.leaf))
    assert client.post(URL, {"text": OUTLOOK, "file": upload})["Location"].startswith("/tools/diagnose/result/")


def test_ordinary_text_is_not_taken_for_an_error_message():
    for text in ("hello", "not trusted", "My certificate does not work, can you help?"):
        assert page_for_pasted_error(text) is None
    # A title's own quote long enough to be a message is one: the page is about exactly that.
    assert page_for_pasted_error("Windows says: wrong password").slug == "p12-wrong-password"


def test_normalising_ignores_case_quotes_spaces_and_the_final_full_stop():
    assert normalised("  “The Password you entered is   incorrect.”  ") == "the password you entered is incorrect"
