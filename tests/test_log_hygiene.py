"""Logs under attack: one line per refused request, no traceback for expected refusals, no flood on demand."""
from __future__ import annotations

import io
import json
import logging

import pytest

from smimecenter.logfilters import RefusalsWithoutTraceback, RepeatCap


@pytest.fixture
def site_log():
    """What the site's configured console handler writes, with its filters, while the test runs."""
    handler = next(h for h in logging.getLogger().handlers
                   if isinstance(h, logging.StreamHandler) and any(isinstance(f, RepeatCap) for f in h.filters))
    for cap in (f for f in handler.filters if isinstance(f, RepeatCap)):
        cap.reset()  # earlier tests logged the same lines: the cap is not what these tests are about
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def _messages(stream: io.StringIO) -> list[str]:
    """The lines written, each as its message (JSON lines or plain text), without the per-request access lines."""
    messages = []
    for line in stream.getvalue().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            messages.append(line)
            continue
        if record.get("logger") != "smimecenter.requests":
            messages.append(record["message"])
    return messages


@pytest.mark.django_db
def test_a_refused_request_is_one_line_without_traceback(client, site_log):
    assert client.get("/share/" + "A" * 43 + "/").status_code == 404  # Django logs Http404 with its traceback
    assert _messages(site_log) == ["Not Found: /share/{token}/"]  # the token itself is never logged
    assert "Traceback" not in site_log.getvalue()


@pytest.mark.django_db
def test_a_suspicious_request_is_one_line_without_traceback(client, site_log):
    # Django's security logger attaches the whole traceback to this expected refusal.
    fields = "&".join(f"f{i}=1" for i in range(5000))
    response = client.post("/share/", fields, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert _messages(site_log) == [
        "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."]
    assert "Traceback" not in site_log.getvalue()


@pytest.mark.django_db
def test_a_malformed_body_is_one_line_without_traceback(client, site_log):
    response = client.generic("POST", "/tools/csr/", b"--x\r\n\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    assert len(_messages(site_log)) == 1 and "Traceback" not in site_log.getvalue()


def test_server_errors_keep_their_traceback():
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: /", (), None)
    record.status_code = 500
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    RefusalsWithoutTraceback().filter(record)
    assert record.exc_info is not None


def test_a_repeated_line_is_capped_and_the_drop_is_reported(monkeypatch):
    import smimecenter.logfilters as logfilters

    now = [600.0]
    monkeypatch.setattr(logfilters.time, "monotonic", lambda: now[0])
    cap = RepeatCap(per_minute=20)

    def record(message: str = "refused %s") -> logging.LogRecord:
        return logging.LogRecord("smimecenter.tools", logging.WARNING, __file__, 1, message, ("x",), None)

    kept = [cap.filter(record()) for _ in range(100)]
    assert kept.count(True) == 20
    assert cap.filter(record("another line")) is True  # other lines are not held back
    now[0] += 60
    first = record()
    assert cap.filter(first) is True
    assert "80 repeated log lines were dropped" in first.getMessage()


def test_every_request_line_is_written_however_many_there_are(client, site_log):
    for _ in range(30):
        client.get("/learn/")
    written = [json.loads(line) for line in site_log.getvalue().splitlines()]
    assert len([line for line in written if line.get("logger") == "smimecenter.requests"]) == 30


def test_a_failing_check_is_one_error_line_without_traceback(monkeypatch, caplog):
    from smimecenter.diagnostics import checks
    from smimecenter.diagnostics.checks import run_checks

    def faulty_rule(context):
        raise KeyError("boom")

    monkeypatch.setattr(checks, "registered_checks", lambda: [faulty_rule])
    caplog.set_level(logging.ERROR, logger="smimecenter.diagnostics")
    assert run_checks(context=None) == []
    [record] = caplog.records
    assert record.exc_info is None
    assert record.getMessage().startswith("check faulty_rule failed: KeyError at test_log_hygiene.py:")


@pytest.mark.django_db
def test_a_huge_email_value_is_not_echoed_back_whole(client):
    huge = "a" * 1_000_000 + "@example.com"
    response = client.post("/tools/diagnose/", {"text": "x", "email": huge})
    assert response.status_code in (400, 413)
    body = response.content.decode()
    assert "a" * 321 not in body
    assert len(response.content) < 200_000


@pytest.mark.django_db
def test_a_short_wrong_email_is_shown_again_for_correcting(client):
    response = client.post("/tools/diagnose/", {"text": "x", "email": "alice@@example"})
    assert response.status_code == 400
    assert "alice@@example" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/tools/pkcs12/", "/tools/csr/", "/tools/compliance/", "/tools/diagnose/",
                                  "/api/v1/diagnose"])
def test_every_view_that_takes_a_password_hides_the_posted_values_from_error_reports(path):
    from django.test import RequestFactory
    from django.urls import resolve

    request = RequestFactory().post(path, {"password": "Hidden-9"})
    resolve(path).func(request)
    assert getattr(request, "sensitive_post_parameters", None) == "__ALL__", path
