"""Expert results have their own address too (post, redirect, get), and keep nothing secret."""
from __future__ import annotations

import pickle
import re

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.diagnostics.builders import make_chain

from .helpers import csr, csr_pem, p12_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_csr_check_redirects_to_a_result_that_survives_a_refresh(client):
    response = client.post("/tools/csr/", {"text": csr_pem(csr()).decode()})
    assert response.status_code == 303
    assert re.fullmatch(r"/tools/csr/result/[A-Za-z0-9_-]{43}/", response["Location"])
    for _ in range(2):
        page = client.get(response["Location"])
        assert page.status_code == 200 and "Request for" in page.content.decode()
        assert "no-store" in page["Cache-Control"]


def test_an_unknown_result_or_tool_is_a_plain_404(client):
    page = client.get("/tools/pkcs12/result/" + "A" * 43 + "/")
    assert page.status_code == 404 and "This result is no longer here" in page.content.decode()
    assert client.get("/tools/admin/result/" + "A" * 43 + "/").status_code == 404


def test_the_p12_result_keeps_neither_the_file_nor_its_password_nor_the_key():
    from django.test import Client

    chain = make_chain()
    data = p12_with(key=chain.leaf.key, certificate=chain.leaf, password=b"hunter2-secret")
    response = Client().post("/tools/pkcs12/", {"file": SimpleUploadedFile("alice.p12", data),
                                                "password": "hunter2-secret"})
    assert response.status_code == 303
    kept = "\n".join(repr(pickle.loads(value)) for value in cache._cache.values())
    assert "'files'" in kept and "alice.p12" in kept
    key_der = chain.leaf.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption())
    assert "hunter2-secret" not in kept and "PRIVATE KEY" not in kept
    assert repr(key_der[-32:])[2:-1] not in kept and repr(data[-32:])[2:-1] not in kept
