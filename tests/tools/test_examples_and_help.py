"""Help to get the input: "Try an example" runs the check at once, and each mail app's help leads to its guide."""
from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from smimecenter.diagnostics import diagnose
from smimecenter.learn.linklock import LOCK_FILE, read_lock
from smimecenter.tools.examples import EXAMPLE_ROOT_NAME, EXAMPLES, ROOT_FILE, _read, example_request
from smimecenter.tools.examples.build import build
from smimecenter.tools.input_help import APPS

pytestmark = pytest.mark.django_db

URL = "/tools/diagnose/"


def run_example(client: Client, slug: str) -> str:
    response = client.post(URL, {"example": slug})
    assert response.status_code == 303
    assert response["Location"].startswith("/tools/diagnose/result/")
    return client.get(response["Location"]).content.decode()


def test_the_form_offers_every_example_as_a_button(client):
    page = client.get(URL).content.decode()
    for example in EXAMPLES:
        assert re.search(rf'<button type="submit" class="secondary" name="example" value="{example.slug}"', page)
    assert "the examples' root is given as trusted for the example's check only" in page


def test_the_good_chain_example_is_trusted_by_the_examples_root_and_says_so(client):
    page = run_example(client, "good-chain")
    assert 'verdict verdict-pass' in page
    assert EXAMPLE_ROOT_NAME in page


def test_the_missing_intermediate_example_says_so(client):
    page = run_example(client, "missing-intermediate")
    assert 'data-code="chain.missing_intermediate"' in page
    assert "Add the missing certificate (the intermediate)" in page


def test_the_tampered_message_example_catches_the_change(client):
    page = run_example(client, "tampered-message")
    assert 'data-code="message.signature_invalid"' in page
    assert 'data-code="chain.missing_intermediate"' not in page  # the chain itself is fine


def test_an_unknown_example_is_a_plain_400(client):
    response = client.post(URL, {"example": "../../settings.py"})
    assert response.status_code == 400
    assert "There is no such example" in response.content.decode()


def test_examples_need_the_csrf_token_and_count_against_the_rate_limit(settings):
    assert Client(enforce_csrf_checks=True).post(URL, {"example": "good-chain"}).status_code == 403
    settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE = 1
    client = Client()
    assert client.post(URL, {"example": "good-chain"}).status_code == 303
    assert client.post(URL, {"example": "good-chain"}).status_code == 429


def test_the_build_script_makes_examples_that_answer_as_the_committed_ones():
    fresh = build()
    assert sorted(fresh) == sorted([ROOT_FILE, *(name for example in EXAMPLES for name in example.files)])
    for example in EXAMPLES:
        committed = diagnose([_read(name) for name in example.files], trust=[_read(ROOT_FILE)])
        rebuilt = diagnose([fresh[name] for name in example.files], trust=[fresh[ROOT_FILE]])
        assert [f.code for f in committed.findings] == [f.code for f in rebuilt.findings], example.slug
        assert b"PRIVATE KEY" not in b"".join(fresh.values())


def test_an_example_request_names_its_files_and_its_root():
    request = example_request("tampered-message")
    assert request.names == ["the example file “tampered-message.eml”"]
    assert request.trust_name == EXAMPLE_ROOT_NAME
    assert example_request("nope") is None


def test_the_form_has_help_for_each_mail_app_pointing_to_a_guide_section(client):
    page = client.get(URL).content.decode()
    locked = set(read_lock(settings.CONTENT_DIR / LOCK_FILE))
    assert [app.app for app in APPS] == ["Outlook for Windows", "Outlook for Mac", "Apple Mail", "iPhone and iPad",
                                         "Thunderbird"]
    for app in APPS:
        assert f'<a href="{app.guide_url}">Step by step for {app.app}</a>' in page
        assert app.guide_url in locked, app.guide_url
    guide = client.get(APPS[0].guide_url.split("#")[0]).content.decode()
    for app in APPS:
        assert f'id="{app.anchor}"' in guide
