"""POST /api/v1/diagnose: both request forms, JSON errors, the OpenAPI contract, and parity with the CLI."""
from __future__ import annotations

import base64
import io
import json

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from smimecenter.diagnostics.management.commands.diagnose import ADD_ROOT_ON_THE_COMMAND_LINE
from smimecenter.tools.api import ADD_ROOT_IN_THE_API
from smimecenter.tools.openapi import openapi_document

from .certificates import P12_PASSWORD, pem

pytestmark = pytest.mark.django_db

API = "/api/v1/diagnose"


def validator_for(schema_name: str) -> jsonschema.Validator:
    document = openapi_document()
    # Resolve "#/components/schemas/..." against a root that carries the components.
    root = {"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]}
    return jsonschema.Draft202012Validator(root, format_checker=jsonschema.FormatChecker())


def assert_report(response) -> dict:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    data = response.json()
    validator_for("Report").validate(data)
    return data


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    data = response.json()
    validator_for("Error").validate(data)
    assert data["error"]["code"] == code
    assert data["error"]["message"]
    return data


def post_json(client: Client, document: object):
    return client.post(API, json.dumps(document), content_type="application/json")


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# --- requests ------------------------------------------------------------------------------------

def test_multipart_with_files_email_and_trust_returns_a_valid_report(client, certs):
    data = assert_report(client.post(API, {
        "file": [upload("leaf.pem", certs.chain.leaf.pem), upload("inter.der", certs.chain.intermediate.der)],
        "email": "alice@example.com", "trust": upload("root.pem", certs.chain.root_pem)}))
    assert data["status"] == "pass"
    assert data["trust"]["trusted"] is True
    assert data["capabilities"] == {"sign": True, "encrypt": True}
    assert data["chain"][0] == certs.chain.leaf.sha256


def test_multipart_text_alone_is_enough(client, certs):
    data = assert_report(client.post(API, {"text": pem(certs.chain.leaf).decode()}))
    assert "chain.missing_intermediate" in [f["code"] for f in data["findings"]]


def test_json_with_text_files_and_trust_returns_a_valid_report(client, certs):
    data = assert_report(post_json(client, {
        "text": pem(certs.chain.leaf).decode(),
        "files": [base64.b64encode(certs.chain.intermediate.der).decode()],
        "trust": [certs.chain.root_pem.decode()],
        "email": "alice@example.com",
    }))
    assert data["status"] == "pass"


def test_json_p12_with_password(client, certs):
    data = assert_report(post_json(client, {"files": [base64.b64encode(certs.p12).decode()],
                                            "password": P12_PASSWORD}))
    codes = [f["code"] for f in data["findings"]]
    assert "pkcs12.wrong_password" not in codes
    assert any("alice@example.com" in c["emails"] for c in data["certificates"])
    assert P12_PASSWORD not in json.dumps(data)


def test_json_p12_with_a_wrong_password_is_a_finding_not_an_error(client, certs):
    data = assert_report(post_json(client, {"files": [base64.b64encode(certs.p12).decode()], "password": "nope"}))
    assert "pkcs12.wrong_password" in [f["code"] for f in data["findings"]]


def test_a_signed_email_reports_its_message(client, certs):
    data = assert_report(client.post(API, {"file": upload("message.eml", certs.signed_email)}))
    message, = data["messages"]
    assert message["content_intact"] is True
    assert message["signer"] == certs.chain.leaf.sha256
    assert message["from_address"] == "alice@example.com"


def test_an_expired_leaf_fails(client, certs):
    data = assert_report(post_json(client, {"text": pem(certs.expired_leaf, certs.chain.intermediate).decode()}))
    assert data["status"] == "fail"
    assert "validity.expired" in [f["code"] for f in data["findings"]]


def test_the_api_sets_no_cookies_and_needs_no_csrf_token(certs):
    client = Client(enforce_csrf_checks=True)
    response = post_json(client, {"text": certs.chain.supplied_pem.decode()})
    assert_report(response)
    assert not response.cookies
    assert "Set-Cookie" not in response


def test_the_report_is_the_one_the_command_line_prints(client, certs, tmp_path):
    path = tmp_path / "chain.pem"
    path.write_bytes(certs.chain.supplied_pem)
    out = io.StringIO()
    with pytest.raises(SystemExit):  # the CLI exits 1 when the report holds an error
        call_command("diagnose", str(path), "--email", "bob@example.org", "--format", "json", stdout=out)
    from_cli = json.loads(out.getvalue())
    from_api = assert_report(client.post(API, {"file": upload("chain.pem", certs.chain.supplied_pem),
                                               "email": "bob@example.org"}))
    # Only the moment of the check may differ (the two ran a few milliseconds apart), and where a fix tells
    # the person to add their own root: each names its own way of giving one.
    from_cli.pop("checked_at"), from_api.pop("checked_at")
    assert ADD_ROOT_IN_THE_API in json.dumps(from_api, ensure_ascii=False)
    same_words = json.dumps(from_api, ensure_ascii=False).replace(ADD_ROOT_IN_THE_API, ADD_ROOT_ON_THE_COMMAND_LINE)
    assert json.loads(same_words) == from_cli


# --- errors --------------------------------------------------------------------------------------

def test_get_is_not_allowed(client):
    response = client.get(API)
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"


def test_invalid_json_is_a_400(client):
    assert_error(client.post(API, "{not json", content_type="application/json"), 400, "invalid_json")


def test_a_json_array_is_a_400(client):
    assert_error(post_json(client, ["text"]), 400, "invalid_json")


def test_an_unknown_field_is_a_400(client):
    assert_error(post_json(client, {"text": "x", "pasword": "typo"}), 400, "unknown_field")


def test_a_field_of_the_wrong_type_is_a_400(client):
    assert_error(post_json(client, {"files": "abc"}), 400, "invalid_field")
    assert_error(post_json(client, {"text": 12}), 400, "invalid_field")


def test_bad_base64_is_a_400(client):
    assert_error(post_json(client, {"files": ["not base64!"]}), 400, "invalid_field")


def test_nothing_to_check_is_a_400(client):
    assert_error(post_json(client, {"email": "alice@example.com"}), 400, "empty")
    assert_error(client.post(API, {"email": "alice@example.com"}), 400, "empty")


def test_a_malformed_email_is_a_400(client, certs):
    assert_error(post_json(client, {"text": certs.chain.supplied_pem.decode(), "email": "not an address"}),
                 400, "invalid_field")


def test_an_unreadable_trust_anchor_is_a_400(client, certs):
    assert_error(post_json(client, {"text": certs.chain.supplied_pem.decode(), "trust": ["nothing here"]}),
                 400, "bad_trust_anchor")


def test_another_content_type_is_a_415(client):
    assert_error(client.post(API, "text", content_type="text/plain"), 415, "unsupported_media_type")


def test_unreadable_input_is_still_a_report(client):
    data = assert_report(post_json(client, {"text": "hello, this is not a certificate"}))
    assert data["status"] == "fail"


# --- the description -----------------------------------------------------------------------------

def test_the_openapi_document_is_served_as_json(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    assert "/api/v1/diagnose" in document["paths"]
    operation = document["paths"]["/api/v1/diagnose"]["post"]
    assert set(operation["requestBody"]["content"]) == {"multipart/form-data", "application/json"}
    assert {"200", "400", "413", "415", "429"} <= set(operation["responses"])


def test_every_schema_in_the_document_is_a_valid_json_schema():
    for name, schema in openapi_document()["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_the_schemas_can_fail(client, certs):
    data = assert_report(post_json(client, {"text": certs.chain.supplied_pem.decode()}))
    data["status"] = "maybe"
    with pytest.raises(jsonschema.ValidationError):
        validator_for("Report").validate(data)


def test_the_api_page_documents_the_endpoint_with_a_curl_example(client):
    page = client.get("/api/").content.decode()
    assert "POST /api/v1/diagnose" in page
    assert "curl" in page and "-F file=@" in page
    assert 'href="/api/v1/openapi.json"' in page


def test_an_engine_failure_is_still_json(client, monkeypatch):
    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr("smimecenter.tools.api.run_diagnosis", broken)
    assert_error(post_json(client, {"text": "x"}), 500, "internal_error")


def test_a_broken_multipart_body_is_json(client):
    response = client.generic("POST", API, b"--x\r\nnot a part", content_type="multipart/form-data; boundary=")
    assert_error(response, 400, "invalid_body")
