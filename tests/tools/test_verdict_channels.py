"""The same inputs through the API, the command line and the web page give the same verdict and codes.

The cases are tests/diagnostics/verdict_corpus.py's: add one there and it runs here too.
"""
from __future__ import annotations

import io
import json
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from smimecenter.tools.presentation import HIDDEN_WHEN_NOT_CHECKED
from tests.diagnostics.verdict_corpus import VerdictCase, cases

pytestmark = pytest.mark.django_db

# Cases checked "now": the web page and the API take no moment of checking.
CHANNEL_CASES = [c for c in cases() if c.at is None]


def uploads(case: VerdictCase) -> dict[str, object]:
    fields: dict[str, object] = {"file": [SimpleUploadedFile(name, data) for name, data in case.inputs]}
    if case.password is not None:
        fields["password"] = case.password
    if case.trust:
        fields["trust"] = [SimpleUploadedFile(f"root{i}.pem", data) for i, data in enumerate(case.trust)]
    if case.email:
        fields["email"] = case.email
    return fields


def from_api(client, case: VerdictCase) -> dict:
    response = client.post("/api/v1/diagnose", uploads(case))
    assert response.status_code == 200, response.content
    data = response.json()
    return {"question": data["question"], "state": data["verdict"]["state"],
            "headline_key": data["verdict"]["headline_key"],
            "reasons": [r["code"] for r in data["verdict"]["reasons"]],
            "codes": [f["code"] for f in data["findings"]]}


def from_cli(case: VerdictCase, tmp_path) -> dict:
    arguments = []
    for index, (name, data) in enumerate(case.inputs):
        path = tmp_path / f"{index}-{name}"
        path.write_bytes(data)
        arguments.append(str(path))
    for index, data in enumerate(case.trust):
        path = tmp_path / f"trust-{index}.pem"
        path.write_bytes(data)
        arguments += ["--trust-file", str(path)]
    if case.password is not None:
        arguments += ["--password", case.password]
    if case.email:
        arguments += ["--email", case.email]
    out = io.StringIO()
    try:
        call_command("diagnose", *arguments, "--offline", "--format", "json", stdout=out)
    except SystemExit as exit_status:
        assert exit_status.code == 1  # an error finding, not unusable arguments
    data = json.loads(out.getvalue())
    return {"question": data["question"], "state": data["verdict"]["state"],
            "headline_key": data["verdict"]["headline_key"],
            "reasons": [r["code"] for r in data["verdict"]["reasons"]],
            "codes": [f["code"] for f in data["findings"]]}


def from_web(client, case: VerdictCase) -> dict:
    response = client.post("/tools/diagnose/", uploads(case), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    verdict = re.search(r'<section class="verdict[^"]*"[^>]*data-question="([^"]*)" data-state="([^"]*)" '
                        r'data-headline-key="([^"]*)"', page)
    assert verdict, "the page has no verdict"
    # A .p12 that was not opened is answered by the password page: the verdict and the form, no findings.
    retry = 'id="password-retry-form"' in page
    return {"question": verdict[1], "state": verdict[2], "headline_key": unescape(verdict[3]),
            "codes": None if retry else re.findall(r'<article class="finding[^"]*" data-code="([^"]+)"', page)}


@pytest.mark.parametrize("case", CHANNEL_CASES, ids=lambda c: c.name)
def test_api_command_line_and_web_page_give_the_same_verdict(client, case, tmp_path, settings):
    settings.DIAGNOSE_ONLINE = False
    api, cli, web = from_api(client, case), from_cli(case, tmp_path), from_web(client, case)
    assert api == cli
    assert (web["question"], web["state"], web["headline_key"]) == (api["question"], api["state"],
                                                                    api["headline_key"])
    # The page shows the same findings, grouped by severity; after "could not check" it leaves out
    # only what the true reason makes beside the point.
    if web["codes"] is None:
        assert api["state"] == "could_not_check" and api["reasons"][0].startswith("pkcs12.")
        return
    hidden = set(HIDDEN_WHEN_NOT_CHECKED) if api["state"] == "could_not_check" else set()
    assert sorted(web["codes"]) == sorted(c for c in api["codes"] if c not in hidden or c in api["reasons"])
    if api["reasons"] and api["state"] != "works":
        assert web["codes"][0] == api["reasons"][0]
    if case.state:
        assert api["state"] == case.state


def _fix_of(findings: list[dict], code: str) -> str:
    return next(f["fix"] for f in findings if f["code"] == code)


def test_each_channel_says_where_its_own_person_adds_a_root(client, tmp_path, settings):
    """A pasted private root nobody trusts: the fix names the form's field on the web, the option on the
    command line and the request's field in the API."""
    from tests.diagnostics.test_checks_private_root import acme_chain

    settings.DIAGNOSE_ONLINE = False
    chain = acme_chain()
    pasted = chain.supplied_pem + chain.root_pem

    page = unescape(client.post("/tools/diagnose/", {"text": pasted.decode()}, follow=True).content.decode())
    assert "check again with it added under \u201cMy organisation runs its own certificate authority\u201d, and" in page

    json_api = client.post("/api/v1/diagnose", {"text": pasted.decode()}, content_type="application/json").json()
    form_api = client.post("/api/v1/diagnose", {"text": pasted.decode()}).json()
    for data in (json_api, form_api):
        assert "added to the request\u2019s \u201ctrust\u201d field, and" in _fix_of(data["findings"], "chain.untrusted_root")

    path = tmp_path / "pasted.pem"
    path.write_bytes(pasted)
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("diagnose", str(path), "--offline", "--format", "json", stdout=out)
    assert "added with --trust-file, and" in _fix_of(json.loads(out.getvalue())["findings"], "chain.untrusted_root")

    for text in (json.dumps(json_api), json.dumps(form_api), out.getvalue()):
        assert "My organisation runs its own" not in text
