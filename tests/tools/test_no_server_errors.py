"""No input earns a 500: malformed bodies to every POST endpoint and fuzz-found inputs to every tool page.

Every answer is a 4xx (or a 200 result) with words for a person, never Django's error page.
"""
from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.diagnostics.builders import ec_key, make_chain

pytestmark = pytest.mark.django_db

SHARE_TOKEN = "A" * 43
POST_ENDPOINTS = ["/tools/diagnose/", "/api/v1/diagnose", "/tools/pkcs12/", "/tools/csr/", "/tools/compliance/",
                  "/share/", f"/share/{SHARE_TOKEN}/delete/{SHARE_TOKEN}/", "/admin/login/",
                  "/organisation/add-to-reading-list/", "/search/", "/"]
SEEDS = Path(__file__).resolve().parents[1] / "fuzz" / "seeds"
FOUND = Path(__file__).resolve().parents[1] / "fuzz" / "found"
TOOL_PAGES = {"/tools/diagnose/": "file", "/tools/pkcs12/": "file", "/tools/csr/": "file",
              "/tools/compliance/": "file"}

BOUNDARY = "----smimecenter"
MALFORMED_BODIES = {
    "multipart without a closing boundary": (f"multipart/form-data; boundary={BOUNDARY}",
                                             f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nabc"),
    "multipart whose boundary is missing": ("multipart/form-data", f"--{BOUNDARY}\r\n\r\n"),
    "multipart with an empty boundary": ("multipart/form-data; boundary=", "--\r\n\r\n--"),
    "multipart with a part lacking headers": (f"multipart/form-data; boundary={BOUNDARY}",
                                              f"--{BOUNDARY}\r\n\r\nxx\r\n--{BOUNDARY}--\r\n"),
    "multipart with a broken base64 part": (
        f"multipart/form-data; boundary={BOUNDARY}",
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.p12\"\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n@@@@\r\n--{BOUNDARY}--\r\n"),
    "multipart with a huge header line": (f"multipart/form-data; boundary={BOUNDARY}",
                                          f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"" + "x" * 100_000),
    "form with broken percent escapes": ("application/x-www-form-urlencoded", "text=%zz%&email=%E0%A4%A&&&=="),
    "form with invalid UTF-8": ("application/x-www-form-urlencoded", b"text=\xff\xfe\xc3&email=\xed\xa0\x80"),
    "form with thousands of fields": ("application/x-www-form-urlencoded", "&".join(f"f{i}=1" for i in range(5000))),
    "JSON nested 100,000 deep": ("application/json", "[" * 100_000 + "]" * 100_000),
    "JSON objects nested deep": ("application/json", '{"a":' * 50_000 + "1" + "}" * 50_000),
    "JSON that is not an object": ("application/json", "[1, 2, 3]"),
    "JSON cut short": ("application/json", '{"text": "-----BEGIN'),
    "JSON with a wrong type": ("application/json", '{"text": {"deep": [1]}, "files": "x", "email": 5}'),
    "JSON with lone surrogates": ("application/json", '{"text": "\\ud800\\udc00\\ud800", "email": "\\udfff@x.y"}'),
    "JSON in another encoding": ("application/json; charset=utf-16", "{}".encode("utf-16")),
    "a content type with bad parameters": ("multipart/form-data; boundary=\"unterminated; charset==", "x"),
    "no content type at all": ("", "text=abc"),
    "binary noise": ("application/octet-stream", bytes(range(256)) * 10),
}


@pytest.fixture
def client_no_raise() -> Client:
    return Client(raise_request_exception=False)


def assert_plain_4xx_or_page(response, where: str) -> None:
    assert response.status_code < 500, f"{where}: {response.status_code}"
    body = response.content.decode("utf-8", errors="replace")
    assert "Traceback" not in body and "Exception" not in body, where
    if response.status_code >= 400 and response.status_code not in (403, 404, 405):
        assert len(body.strip()) > 20, f"{where}: an error without words"


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
@pytest.mark.parametrize("kind", sorted(MALFORMED_BODIES))
def test_malformed_bodies_never_cause_a_server_error(client_no_raise, endpoint, kind):
    content_type, body = MALFORMED_BODIES[kind]
    data = body.encode("utf-8") if isinstance(body, str) else body
    response = client_no_raise.generic("POST", endpoint, data, content_type=content_type)
    assert_plain_4xx_or_page(response, f"{kind} to {endpoint}")


def _regression_inputs() -> list[tuple[str, bytes]]:
    """The seeds, every input fuzzing ever found (tests/fuzz/found/), and damaged seeds."""
    found = [(path.name, path.read_bytes()) for path in sorted(FOUND.glob("*")) if path.is_file()]
    seeds = [(path.name, path.read_bytes()) for path in sorted(SEEDS.glob("*"))]
    damaged = [(f"{name} cut in half", data[: len(data) // 2]) for name, data in seeds]
    return found + seeds + damaged


@pytest.mark.parametrize("page", sorted(TOOL_PAGES))
def test_every_tool_page_answers_fuzz_found_and_damaged_inputs_with_a_page(client_no_raise, page):
    for name, data in _regression_inputs():
        upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
        response = client_no_raise.post(page, {TOOL_PAGES[page]: upload, "password": "fuzz-seed-pass"})
        assert_plain_4xx_or_page(response, f"{name} to {page}")
        from django.core.cache import cache

        cache.clear()  # the per-minute limit is not what this test is about


def test_the_api_answers_fuzz_found_inputs_with_json(client_no_raise):
    for name, data in _regression_inputs():
        body = json.dumps({"files": [base64.b64encode(data).decode()], "password": "fuzz-seed-pass"})
        response = client_no_raise.post("/api/v1/diagnose", body, content_type="application/json")
        assert response.status_code < 500, name
        assert response["Content-Type"] == "application/json"
        from django.core.cache import cache

        cache.clear()


def test_deep_json_gets_a_plain_400(client):
    response = client.post("/api/v1/diagnose", "[" * 100_000 + "]" * 100_000, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("name", ["csr-undecodable-subject-1.der", "csr-undecodable-subject-4.pem"])
def test_a_csr_whose_subject_cannot_be_decoded_gets_a_page_not_a_500(client_no_raise, caplog, name):
    """Found by fuzzing: cryptography loads the request, decoding its subject raises later."""
    data = (FOUND / name).read_bytes()
    response = client_no_raise.post("/tools/csr/", {"file": SimpleUploadedFile(name, data)}, follow=True)
    body = response.content.decode()
    # Either the engine reads the request in full (and shows it), or the page says which part failed.
    assert (response.status_code, "could not be decoded" in body) in ((422, True), (200, False))
    if response.status_code == 200:
        assert "Request for" in body
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"


def test_a_well_formed_post_still_gets_its_result(client):
    chain = make_chain(key=ec_key())
    response = client.post("/tools/diagnose/", {"text": chain.leaf.pem.decode()}, follow=True)
    assert response.status_code == 200
