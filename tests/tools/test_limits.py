"""Size, count and rate limits answer with a friendly page (or JSON from the API), never a crash."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

URL = "/tools/diagnose/"
API = "/api/v1/diagnose"


@pytest.fixture
def small_limit(settings):
    settings.DIAGNOSE_MAX_INPUT_BYTES = 4096
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096 + 1024
    return 4096


def upload(name: str, size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"0" * size, content_type="application/octet-stream")


def test_a_file_over_the_limit_gets_a_friendly_page(client, small_limit):
    response = client.post(URL, follow=True, data={"file": upload("big.p12", small_limit + 1)})
    assert response.status_code == 413
    page = response.content.decode()
    assert "more than the check can read" in page
    assert "Back to the certificate check" in page


def test_files_over_the_limit_together_get_a_friendly_page(client, small_limit):
    response = client.post(URL, follow=True, data={"file": [upload("a.pem", 3000), upload("b.pem", 3000)]})
    assert response.status_code == 413


def test_pasted_text_over_the_limit_gets_a_friendly_page(client, small_limit):
    response = client.post(URL, follow=True, data={"text": "A" * (small_limit + 2000)})
    assert response.status_code == 413
    assert "larger than" in response.content.decode() or "at most" in response.content.decode()


def test_text_just_over_the_limit_but_under_djangos_ceiling_is_refused_too(client, small_limit):
    response = client.post(URL, follow=True, data={"text": "A" * (small_limit + 10)})
    assert response.status_code == 413


def test_too_many_files_get_a_friendly_page(client, settings):
    settings.DIAGNOSE_MAX_FILES = 2
    response = client.post(URL, follow=True, data={"file": [upload(f"{n}.pem", 10) for n in range(3)]})
    assert response.status_code == 413
    assert "at most 2" in response.content.decode()


def test_the_api_answers_an_over_large_upload_with_json(client, small_limit):
    response = client.post(API, {"file": upload("big.p12", small_limit + 1)})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_the_api_answers_an_over_large_json_body_with_json(client, small_limit):
    response = client.post(API, {"text": "A" * (small_limit * 2)}, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_the_api_counts_base64_files_by_their_decoded_size(client, small_limit):
    import base64
    encoded = base64.b64encode(b"0" * (small_limit - 100)).decode()
    response = client.post(API, {"files": [encoded]}, content_type="application/json")
    assert response.status_code == 200  # a third larger as base64, still within the limit once decoded


def test_the_form_is_rate_limited_per_client(client, settings):
    settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE = 2
    statuses = [client.post(URL, follow=True, data={"text": "nothing"}).status_code for _ in range(3)]
    assert statuses[:2] == [200, 200]
    assert statuses[2] == 429
    third = client.post(URL, follow=True, data={"text": "-----BEGIN CERTIFICATE-----pasted", "email": "alice@example.com",
                              "password": "never-echoed"})
    page = third.content.decode()
    assert "many checks from your address" in page
    assert "-----BEGIN CERTIFICATE-----pasted</textarea>" in page   # what was pasted is kept
    assert 'value="alice@example.com"' in page
    assert "never-echoed" not in page
    assert int(third["Retry-After"]) > 0


def test_a_burst_is_allowed_before_the_pace_applies(client, settings):
    settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE = 1
    settings.DIAGNOSE_RATE_LIMIT_BURST = 3
    statuses = [client.post(URL, {"text": "x"}).status_code for _ in range(4)]
    assert statuses == [303, 303, 303, 429]  # each check answers with its result's address


def test_the_api_is_rate_limited_with_json(client, settings):
    settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE = 1
    assert client.post(API, {"text": "nothing"}, content_type="application/json").status_code == 200
    response = client.post(API, {"text": "nothing"}, content_type="application/json")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert "Retry-After" in response


def test_clients_are_counted_separately(client, settings):
    settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE = 1
    assert client.post(URL, follow=True, data={"text": "x"}, REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.post(URL, follow=True, data={"text": "x"}, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.post(URL, follow=True, data={"text": "x"}, REMOTE_ADDR="192.0.2.2").status_code == 200


def test_a_zero_rate_turns_the_limit_off(client, settings):
    settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE = 0
    assert all(client.post(URL, follow=True, data={"text": "x"}).status_code == 200 for _ in range(5))


def test_viewing_the_form_is_not_counted(client, settings):
    settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE = 1
    for _ in range(3):
        assert client.get(URL).status_code == 200
    assert client.post(URL, follow=True, data={"text": "x"}).status_code == 200


def test_a_broken_multipart_body_gets_a_friendly_page(client):
    response = client.generic("POST", URL, b"--x\r\nnot a part", content_type="multipart/form-data; boundary=")
    assert response.status_code == 400
    assert "did not arrive whole" in response.content.decode()


def test_the_wait_page_keeps_the_pasted_certificate_but_not_a_pasted_private_key(client, settings):
    settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE = 1
    client.post(URL, data={"text": "nothing"})
    pasted = ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
              "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleQ==\n-----END PRIVATE KEY-----\n")
    page = client.post(URL, data={"text": pasted}).content.decode()
    assert "many checks from your address" in page
    assert "BEGIN CERTIFICATE" in page
    assert "PRIVATE KEY" not in page and "c2VjcmV0LWtleQ==" not in page
