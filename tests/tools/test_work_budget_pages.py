"""A request whose .p12 files would cost more key-derivation work than allowed: a 413 naming the file."""
from __future__ import annotations

import base64
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.diagnostics.builders import ec_key, make_chain, pkcs12_bytes
from tests.diagnostics.hostile_files import scrypt_pkcs12

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def chain():
    return make_chain(key=ec_key())


@pytest.fixture(scope="module")
def scrypt_bomb(chain):
    return scrypt_pkcs12(key=chain.leaf.key, certificate=chain.leaf, password=b"pw", declared=(1024, 8, 4096))


def p12(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/x-pkcs12")


def test_the_check_page_names_the_file_that_is_too_much_work(client, scrypt_bomb):
    started = time.perf_counter()
    response = client.post("/tools/diagnose/", {"file": [p12("bomb.p12", scrypt_bomb)], "password": "pw"})
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 413
    page = response.content.decode()
    assert "bomb.p12" in page and "more work than one check may" in page


def test_the_api_answers_413_naming_the_file(client, scrypt_bomb):
    response = client.post("/api/v1/diagnose", {"files": [base64.b64encode(scrypt_bomb).decode()],
                                                "password": "pw"}, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "over_work_budget"
    assert "files[0]" in response.json()["error"]["message"]


def test_the_pkcs12_inspector_answers_413(client, scrypt_bomb):
    response = client.post("/tools/pkcs12/", {"file": p12("bomb.p12", scrypt_bomb), "password": "pw"})
    assert response.status_code == 413
    assert "bomb.p12" in response.content.decode()


def test_many_files_within_the_budget_are_checked_as_usual(client, chain, settings):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw")
    response = client.post("/tools/diagnose/", {"file": [p12(f"f{i}.p12", data) for i in range(5)],
                                                "password": "pw"})
    assert response.status_code == 303  # to the result's own address


def test_only_the_files_past_the_budget_are_named(client, chain, settings):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw", iterations=3000)
    settings.DIAGNOSE_MAX_KDF_WORK = 30_000  # room for two tries of this file
    response = client.post("/tools/diagnose/", {"file": [p12(f"f{i}.p12", data) for i in range(3)],
                                                "password": "pw"})
    assert response.status_code == 413
    page = response.content.decode()
    assert "f2.p12" in page and "f0.p12" not in page and "f1.p12" not in page


def test_when_every_slot_of_the_machine_is_busy_a_p12_check_is_asked_to_come_back(client, chain, settings):
    from smimecenter.tools.kdf_slots import kdf_slot

    settings.DIAGNOSE_KDF_SLOTS = 1
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw")
    with kdf_slot() as held:  # another worker opening a .p12 right now
        assert held
        with kdf_slot() as second:
            assert not second
        busy = client.post("/tools/diagnose/", {"file": [p12("mine.p12", data)], "password": "pw"})
        certificate_only = client.post("/tools/diagnose/", {"text": chain.leaf.pem.decode()})
    assert busy.status_code == 503 and busy["Retry-After"] == "5"
    assert "mine.p12" in busy.content.decode() and "few seconds" in busy.content.decode()
    assert certificate_only.status_code == 303  # to the result's own address
    assert client.post("/tools/diagnose/", {"file": [p12("mine.p12", data)], "password": "pw"}).status_code == 303


def test_the_api_says_busy_with_json(client, chain, settings):
    from smimecenter.tools.kdf_slots import kdf_slot

    settings.DIAGNOSE_KDF_SLOTS = 1
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw")
    with kdf_slot():
        response = client.post("/api/v1/diagnose", {"files": [base64.b64encode(data).decode()], "password": "pw"},
                               content_type="application/json")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "busy"
