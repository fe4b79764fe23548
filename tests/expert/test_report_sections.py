from __future__ import annotations

import json

from django.core.management import call_command

from smimecenter.diagnostics import diagnose
from smimecenter.diagnostics.checks import all_rules
from tests.diagnostics.builders import make_chain, pem

from .helpers import csr, csr_pem, p12_with

EXISTING_KEYS = {"status", "summary", "checked_at", "findings", "certificates", "chain", "trust", "capabilities",
                 "messages"}


def test_the_catalog_holds_the_pkcs12_and_csr_codes():
    codes = set(all_rules())
    assert {"pkcs12.legacy_encryption", "pkcs12.modern_encryption", "pkcs12.chain_incomplete",
            "pkcs12.key_not_encrypted", "pkcs12.no_private_key", "pkcs12.key_mismatch",
            "pkcs12.too_expensive"} <= codes
    assert {"csr.bad_signature", "csr.weak_key", "csr.no_email", "csr.fields_replaced"} <= codes


def test_the_report_gains_pkcs12_and_compatibility_sections_and_keeps_its_keys():
    chain = make_chain()
    data = diagnose([p12_with(key=chain.leaf.key, certificate=chain.leaf)], password=b"secret").to_dict()
    assert EXISTING_KEYS <= set(data)
    assert data["pkcs12"][0]["protection"]["kind"] == "modern"
    assert [row["client"] for row in data["compatibility"]["clients"]][0] == "apple_mail_macos"
    assert "compliance" not in data
    json.dumps(data)


def test_compliance_is_added_only_when_asked_for():
    chain = make_chain(policies=("2.23.140.1.5.1.3",))
    data = diagnose([chain.supplied_pem], compliance=True).to_dict()
    leaf = data["compliance"]["certificates"][0]
    assert leaf["role"] == "leaf" and leaf["br_type"]["generation"] == "strict"
    assert [c["role"] for c in data["compliance"]["certificates"]] == ["leaf", "intermediate"]


def test_a_request_gets_csr_findings_from_the_engine_catalog():
    report = diagnose([csr_pem(csr(emails=()))])
    assert "csr.no_email" in report.codes


def test_the_command_line_adds_compliance_with_a_flag(tmp_path, capsys):
    chain = make_chain(policies=("2.23.140.1.5.1.3",))
    path = tmp_path / "chain.pem"
    path.write_bytes(pem(chain.leaf, chain.intermediate))
    try:
        call_command("diagnose", str(path), "--compliance", "--format", "json")
    except SystemExit:
        pass
    data = json.loads(capsys.readouterr().out)
    assert "compliance" in data and data["compliance"]["linter"]["name"] == "pkilint"
    try:
        call_command("diagnose", str(path), "--compliance")
    except SystemExit:
        pass
    text = capsys.readouterr().out
    assert "Baseline Requirements compliance" in text and "Mail apps" in text
