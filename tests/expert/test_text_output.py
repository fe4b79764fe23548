from __future__ import annotations

from smimecenter.diagnostics.certinfo import facts_of
from smimecenter.diagnostics.compliance import check_compliance
from smimecenter.diagnostics.compliance.text import render_compatibility_text, render_compliance_text
from smimecenter.diagnostics.expert_sections import compatibility_section
from tests.diagnostics.builders import make_chain


def test_the_compliance_text_names_type_findings_and_citations():
    chain = make_chain(policies=("2.23.140.1.5.1.3",))
    text = render_compliance_text(check_compliance(chain.leaf.certificate, [chain.intermediate.certificate]).to_dict())
    assert text.startswith("Baseline Requirements compliance: FAIL")
    assert "Mailbox-validated, strict generation" in text
    assert "[compliance.intermediate.no_crl]" in text and "7.1.2.2 (b)" in text


def test_the_compliance_text_says_when_the_linter_could_not_run():
    text = render_compliance_text({"status": "pass", "certificates": [],
                                   "linter": {"available": False, "problem": "pkilint is not installed"}})
    assert "not linted: pkilint is not installed" in text


def test_the_mail_app_text_lists_every_client_and_its_blockers():
    leaf = make_chain(key_usage=None).leaf.certificate
    text = render_compatibility_text(compatibility_section(leaf, mozilla_trusted=None, facts=facts_of(leaf)))
    assert "Apple Mail (macOS): no / no / unknown" in text and "Thunderbird: yes / yes / unknown" in text
    assert "! Apple's Secure Mail" in text
    assert render_compatibility_text(None).startswith("Mail apps: no personal certificate")
