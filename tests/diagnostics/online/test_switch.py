"""The off switch (DIAGNOSE_ONLINE, --online/--offline, online=true|false) and CLI, API and page agreeing."""
from __future__ import annotations

import base64
import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.diagnostics.builders import make_intermediate, make_leaf, make_root
from tests.diagnostics.online.test_revocation import Pki

pytestmark = pytest.mark.django_db

API = "/api/v1/diagnose"
PAGE = "/tools/diagnose/"


@pytest.fixture
def online_site(settings):
    settings.DIAGNOSE_ONLINE = True
    settings.DIAGNOSE_ONLINE_ALLOW = ["127.0.0.1"]
    settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE = 0
    from django.core.cache import cache
    cache.clear()
    return settings


@pytest.fixture
def served(local_server, tmp_path):
    """A leaf whose issuing CA is only at its AIA address, whose root the check is given, with an OCSP answer."""
    pki = Pki(local_server, crl_path=None)
    pki.issuing = make_intermediate(issuer=pki.root, common_name="Revocation Issuing CA")
    pki.leaf = make_leaf(issuer=pki.issuing, aia_ca_issuers=local_server.url("/issuing.der"),
                         ocsp=local_server.url("/ocsp"), crl=None)
    local_server.serve("/issuing.der", pki.issuing.der)
    pki.responder()
    (tmp_path / "leaf.pem").write_bytes(pki.leaf.pem)
    (tmp_path / "root.pem").write_bytes(pki.root.pem)
    pki.files = {"leaf": str(tmp_path / "leaf.pem"), "root": str(tmp_path / "root.pem")}
    return pki


def cli(*args):
    out = io.StringIO()
    try:
        call_command("diagnose", *args, stdout=out)
    except SystemExit:
        pass
    return out.getvalue()


def api(client, **fields):
    response = client.post(API, json.dumps(fields), content_type="application/json")
    return response.status_code, response.json()


def test_cli_api_and_page_agree_online(client, online_site, served):
    from_cli = json.loads(cli(served.files["leaf"], "--trust-file", served.files["root"], "--format", "json"))
    status, from_api = api(client, text=served.leaf.pem.decode(), trust=[served.root.pem.decode()])
    assert status == 200
    for report in (from_cli, from_api):
        assert report["online"]["enabled"] is True
        assert [f["url"] for f in report["online"]["fetched"]] == [served.server.url("/issuing.der")]
        assert report["chain"] == [served.leaf.sha256, served.issuing.sha256, served.root.sha256]
    assert sorted(f["code"] for f in from_cli["findings"]) == sorted(f["code"] for f in from_api["findings"])
    assert "revocation.good" in [f["code"] for f in from_api["findings"]]
    page = client.post(PAGE, {"text": served.leaf.pem.decode(),
                              "trust": _upload("root.pem", served.root.pem)}, follow=True).content.decode()
    assert 'data-code="chain.intermediate_fetched"' in page and 'data-code="revocation.good"' in page
    assert "tells the certificate authority" in page and "which certificate was" in page
    # The fixed chain: the leaf, then the intermediate that was downloaded.
    link = re.search(r'id="download-chain" href="data:application/x-pem-file;base64,([A-Za-z0-9+/=]+)"', page)
    assert base64.b64decode(link.group(1)) == served.leaf.pem + served.issuing.pem
    assert "It includes what we downloaded" in page
    text = cli(served.files["leaf"], "--trust-file", served.files["root"])
    assert f"Fetched: CN=Revocation Issuing CA,O=Example Trust from {served.server.url('/issuing.der')}" in text
    assert "Revocation (OCSP, answer of " in text and ": good - " in text


def test_the_site_is_offline_by_default_and_says_what_was_not_checked(client, settings, served):
    settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE = 0
    assert settings.DIAGNOSE_ONLINE is False
    status, report = api(client, text=served.leaf.pem.decode(), trust=[served.root.pem.decode()])
    assert status == 200 and report["online"]["enabled"] is False
    assert "chain.missing_intermediate" in [f["code"] for f in report["findings"]]
    page = client.post(PAGE, {"text": served.leaf.pem.decode()}, follow=True).content.decode()
    assert 'id="online-not-checked"' in page and "revoked" in page
    assert "Online checks were off" in cli(served.files["leaf"], "--trust-file", served.files["root"])
    assert served.server.requests == []


def test_the_api_may_turn_online_checks_on_only_where_the_site_allows(client, settings, online_site, served):
    settings.DIAGNOSE_ONLINE = False
    status, report = api(client, text=served.leaf.pem.decode(), online=True)
    assert status == 400 and report["error"]["code"] == "invalid_field"
    assert "turned off" in report["error"]["message"]
    status, report = api(client, text=served.leaf.pem.decode(), online="yes")
    assert status == 400
    assert served.server.requests == []


def test_the_api_and_the_cli_may_turn_them_off(client, online_site, served):
    status, report = api(client, text=served.leaf.pem.decode(), trust=[served.root.pem.decode()], online=False)
    assert status == 200 and report["online"]["enabled"] is False
    response = client.post(API, {"text": served.leaf.pem.decode(), "online": "false"})
    assert response.status_code == 200 and response.json()["online"]["enabled"] is False
    offline = json.loads(cli(served.files["leaf"], "--trust-file", served.files["root"], "--offline",
                             "--format", "json"))
    assert offline["online"]["enabled"] is False
    assert served.server.requests == []
    status, report = api(client, text=served.leaf.pem.decode(), trust=[served.root.pem.decode()], online=True)
    assert status == 200 and report["online"]["enabled"] is True


def test_cli_online_works_where_the_setting_is_off(settings, served):
    settings.DIAGNOSE_ONLINE_ALLOW = ["127.0.0.1"]
    report = json.loads(cli(served.files["leaf"], "--trust-file", served.files["root"], "--online",
                            "--format", "json"))
    assert report["online"]["enabled"] is True and report["trust"]["trusted"] is True
    with pytest.raises(CommandError):
        call_command("diagnose", served.files["leaf"], "--online", "--offline")


def test_a_bad_allow_list_stops_the_site_at_start_up(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import smimecenter.settings as site_settings

    monkeypatch.setenv("DIAGNOSE_ONLINE_ALLOW", "127.0.0.1,intranet")
    with pytest.raises(ImproperlyConfigured, match="DIAGNOSE_ONLINE_ALLOW"):
        importlib.reload(site_settings)
    monkeypatch.delenv("DIAGNOSE_ONLINE_ALLOW")
    importlib.reload(site_settings)


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/x-pem-file")


def test_the_form_page_says_what_leaves_the_server_only_when_online(client, settings):
    settings.DIAGNOSE_ONLINE = False
    assert "OCSP responder" not in client.get(PAGE).content.decode()
    settings.DIAGNOSE_ONLINE = True
    page = client.get(PAGE).content.decode()
    assert "which certificate was checked" in page and "Nothing else you send leaves this server" in page


def test_a_failure_inside_the_online_part_costs_only_that_part(monkeypatch, served):
    from smimecenter.diagnostics.online import session
    from tests.diagnostics.online.helpers import diagnose_online

    def broken(*args, **kwargs):
        raise RuntimeError("an odd certificate")

    monkeypatch.setattr(session, "check_revocation", broken)
    monkeypatch.setattr(session, "fetch_missing_intermediates", broken)
    report = diagnose_online(served.leaf, root=served.root)
    assert "chain.missing_intermediate" in report.codes
    assert report.to_dict()["online"]["enabled"] is True


def test_online_reports_follow_the_published_schema(client, online_site, served):
    from tests.tools.test_api import validator_for

    status, report = api(client, text=served.leaf.pem.decode(), trust=[served.root.pem.decode()])
    assert status == 200 and report["online"]["revocation"] and report["online"]["fetched"]
    validator_for("Report").validate(report)
    status, offline = api(client, text=served.leaf.pem.decode(), online=False)
    validator_for("Report").validate(offline)
