"""One JSON line per request, with nothing a person sent in it."""
from __future__ import annotations

import json
import logging
from ipaddress import ip_network

import pytest

from smimecenter.operations.log_format import JsonLineFormatter

SECRET_TEXT = "-----BEGIN CERTIFICATE-----MIIsecretcontent"


@pytest.fixture
def request_lines(caplog):
    def lines() -> list[dict]:
        formatter = JsonLineFormatter()
        return [json.loads(formatter.format(record)) for record in caplog.records
                if record.name == "smimecenter.requests"]
    caplog.set_level(logging.INFO, logger="smimecenter.requests")
    return lines


def test_a_request_is_one_json_line_with_id_method_path_status_and_duration(client, request_lines) -> None:
    response = client.get("/learn/?q=alice@example.com")
    [line] = request_lines()
    assert line["method"] == "GET"
    assert line["path"] == "/learn/"          # the query (an email address here) is not logged
    assert line["status"] == response.status_code
    assert line["duration_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert "alice@example.com" not in json.dumps(line)


def test_posted_form_data_never_reaches_the_log(client, request_lines) -> None:
    client.post("/api/v1/diagnose", {"text": SECRET_TEXT, "password": "hunter2"}, content_type="application/json")
    logged = json.dumps(request_lines())
    assert "MIIsecretcontent" not in logged and "hunter2" not in logged


@pytest.mark.django_db
def test_share_and_delete_tokens_are_masked(client, request_lines, caplog) -> None:
    token, delete_token = "A" * 43, "B" * 43
    client.get(f"/share/{token}/")
    client.get(f"/share/{token}/delete/{delete_token}/")
    client.get(f"/share/{token}-not-a-route/")
    paths = [line["path"] for line in request_lines()]
    assert paths == ["/share/{token}/", "/share/{token}/delete/{delete_token}/", "/share/{token}/"]
    # Django's own "Not Found: <path>" line goes through the same mask on its way to the handler.
    from smimecenter.operations.request_log import MaskSecretPaths
    django_lines = [record for record in caplog.records if record.name == "django.request"]
    assert len(django_lines) == 3
    for record in django_lines:
        MaskSecretPaths().filter(record)
        assert token not in record.getMessage() and delete_token not in record.getMessage()


def test_an_ordinary_path_is_logged_as_it_is(client, request_lines) -> None:
    client.get("/learn/")
    assert request_lines()[0]["path"] == "/learn/"


def test_a_request_id_from_a_trusted_proxy_is_kept(client, request_lines, settings) -> None:
    settings.TRUSTED_PROXIES = (ip_network("127.0.0.1/32"),)
    response = client.get("/learn/", REMOTE_ADDR="127.0.0.1", HTTP_X_REQUEST_ID="nginx-id-42")
    assert response["X-Request-ID"] == "nginx-id-42"
    assert request_lines()[0]["request_id"] == "nginx-id-42"


def test_a_request_id_from_our_proxy_is_kept_for_a_client_it_forwards(client, settings) -> None:
    settings.TRUSTED_PROXIES = (ip_network("127.0.0.1/32"),)
    response = client.get("/learn/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7",
                          HTTP_X_REQUEST_ID="nginx-id-43")
    assert response["X-Request-ID"] == "nginx-id-43"


def test_a_request_id_from_anyone_else_is_replaced(client, settings) -> None:
    settings.TRUSTED_PROXIES = (ip_network("127.0.0.1/32"),)
    response = client.get("/learn/", REMOTE_ADDR="198.51.100.9", HTTP_X_REQUEST_ID="forged-id")
    assert response["X-Request-ID"] != "forged-id"
    malformed = client.get("/learn/", REMOTE_ADDR="127.0.0.1", HTTP_X_REQUEST_ID="a b\nc")
    assert malformed["X-Request-ID"] != "a b\nc"


def test_an_exception_keeps_its_traceback_on_one_line() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1, "failed", (), exc_info=True)
        import sys
        record.exc_info = sys.exc_info()
    line = JsonLineFormatter().format(record)
    assert "\n" not in line
    assert "ValueError: boom" in json.loads(line)["traceback"]
