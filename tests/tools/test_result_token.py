"""Post, redirect, get: the result has its own address for 15 minutes, and holds the report only."""
from __future__ import annotations

import pickle
import re
import time

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.cache import cache
from django.core.cache.backends import locmem
from django.core.files.uploadedfile import SimpleUploadedFile

from smimecenter.tools.results import RESULT_LIFETIME_SECONDS, keep_result, kept_result

from .certificates import MAIL_BODY, P12_PASSWORD, pem

pytestmark = pytest.mark.django_db

URL = "/tools/diagnose/"
RESULT = re.compile(r"^/tools/diagnose/result/([A-Za-z0-9_-]{43})/$")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def check(client, **fields) -> str:
    response = client.post(URL, fields)
    assert response.status_code == 303
    found = RESULT.match(response["Location"])
    assert found, response["Location"]
    return response["Location"]


def kept_entries() -> str:
    # The local-memory cache keeps pickled values; read every entry back as the site would.
    return "\n".join(repr(pickle.loads(value)) for value in cache._cache.values())


def test_a_check_redirects_to_a_result_address_with_a_random_token(client, certs):
    first = check(client, text=certs.chain.supplied_pem.decode())
    second = check(client, text=certs.chain.supplied_pem.decode())
    assert first != second


def test_the_result_address_shows_the_result_and_survives_a_refresh(client, certs):
    address = check(client, text=certs.chain.supplied_pem.decode(), email="alice@example.com")
    for _ in range(2):
        response = client.get(address)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Certificate check result" in page
        assert "alice@example.com" in page
        assert response["Cache-Control"] == "no-store"


def test_an_unknown_or_malformed_token_is_a_plain_message_not_an_error(client):
    for token in ("A" * 43, "short", "not~a~token", "x" * 500):
        response = client.get(f"/tools/diagnose/result/{token}/")
        assert response.status_code == 404
        assert "This result is no longer here" in response.content.decode()


def test_a_result_is_forgotten_after_fifteen_minutes(client, certs, monkeypatch):
    address = check(client, text=certs.chain.supplied_pem.decode())
    assert RESULT_LIFETIME_SECONDS == 15 * 60
    later = time.time() + RESULT_LIFETIME_SECONDS + 1
    monkeypatch.setattr(locmem.time, "time", lambda: later)
    assert client.get(address).status_code == 404


def test_a_result_is_still_there_just_before_fifteen_minutes(client, certs, monkeypatch):
    address = check(client, text=certs.chain.supplied_pem.decode())
    later = time.time() + RESULT_LIFETIME_SECONDS - 30
    monkeypatch.setattr(locmem.time, "time", lambda: later)
    assert client.get(address).status_code == 200


def test_no_password_private_key_or_message_text_is_kept(client, certs):
    key_pem = certs.chain.leaf.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()).decode()
    check(client, text=certs.chain.supplied_pem.decode() + key_pem, email="alice@example.com")
    check(client, file=SimpleUploadedFile("alice.p12", certs.p12), password=P12_PASSWORD)
    check(client, file=SimpleUploadedFile("message.eml", certs.signed_email))
    kept = kept_entries()
    assert kept.count("'report'") == 3                  # the three reports are there ...
    assert pem(certs.chain.leaf).decode().splitlines()[2] in kept   # ... with their public certificates,
    assert "PRIVATE KEY" not in kept                      # but not the key pasted with them,
    assert key_pem.splitlines()[2] not in kept
    assert P12_PASSWORD not in kept                       # nor the .p12 password,
    assert "lunch at noon" in MAIL_BODY.decode()
    assert "lunch at noon" not in kept                    # nor the text of the message.


def test_keep_and_read_back_round_trip():
    token = keep_result({"status": "pass"}, email="a@example.com", reading_list="new-staff")
    kept = kept_result(token)
    assert kept.report == {"status": "pass"} and kept.email == "a@example.com" and kept.reading_list == "new-staff"
    assert kept_result(token[:-1]) is None


def test_the_share_offer_remembers_the_way_back_to_this_result(client, certs):
    address = check(client, text=certs.chain.supplied_pem.decode())
    page = client.get(address).content.decode()
    assert f'<input type="hidden" name="back" value="{address}">' in page
