"""An Outlook .msg gets the same answer from the page, the API and the command line."""
from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

pytestmark = pytest.mark.django_db

MSG = Path(__file__).resolve().parent.parent / "data" / "msg" / "simple-java-mail-signed.msg"


def test_the_page_the_api_and_the_cli_agree_on_a_signed_msg(client):
    data = MSG.read_bytes()
    page = client.post("/tools/diagnose/", {"file": SimpleUploadedFile("signed.msg", data)}, follow=True)
    page_codes = re.findall(r'data-code="([a-z0-9_.]+)"', page.content.decode())
    api = client.post("/api/v1/diagnose", {"files": [base64.b64encode(data).decode()]},
                      content_type="application/json").json()
    out = io.StringIO()
    with pytest.raises(SystemExit):  # the CLI exits 1: the signer's test CA is not given
        call_command("diagnose", str(MSG), "--format", "json", stdout=out)
    cli = json.loads(out.getvalue())
    api_codes = [f["code"] for f in api["findings"]]
    assert "message.signature_valid" in api_codes
    assert sorted(page_codes) == sorted(api_codes) == sorted(f["code"] for f in cli["findings"])
    assert api["messages"][0]["from_address"] == cli["messages"][0]["from_address"] == "benny@bennybottema.com"
