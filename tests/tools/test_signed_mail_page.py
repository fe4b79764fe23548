"""A message signed by a real mail app, checked on the page a person uses."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "smime"


def test_a_thunderbird_message_signed_twice_is_explained_on_the_page(client):
    message = (DATA / "thunderbird-alice-then-dave-two-signatures.eml").read_bytes()
    response = client.post("/tools/diagnose/", {"file": SimpleUploadedFile("signed.eml", message)}, follow=True)
    assert response.status_code == 200
    page = response.content.decode("utf-8")
    codes = re.findall(r'data-code="([a-z0-9_.]+)"', page)
    assert "message.layers" in codes
    assert codes.count("message.signature_valid") == 2
    assert "input.unreadable" not in codes and "ParseError" not in page
