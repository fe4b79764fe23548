from __future__ import annotations

import datetime as dt

import pytest

from smimecenter.diagnostics.certinfo import facts_of
from smimecenter.diagnostics.compliance import check_compliance, pkilint_runner
from smimecenter.diagnostics.compliance.br_types import detect_br_type
from smimecenter.diagnostics.compliance.intermediates import INTERMEDIATE_RULES, intermediate_problems
from smimecenter.diagnostics.compliance.mapping import EXPLAINED, explain, severity_of
from tests.diagnostics.builders import (
    EMAIL_PROTECTION,
    NOW,
    SERVER_AUTH,
    make_chain,
    make_intermediate,
    make_leaf,
    make_root,
    rsa_key,
)

MAILBOX_STRICT = "2.23.140.1.5.1.3"
CRL = "http://crl.example.com/ca.crl"


@pytest.fixture(scope="module")
def chain():
    return make_chain(policies=(MAILBOX_STRICT,),
                      intermediate_options={"crl": CRL, "policies": ("2.23.140.1.5.1.3",)})


def leaf_codes(certificate) -> dict[str, str]:
    section = check_compliance(certificate)
    assert section.linter["available"], section.linter["problem"]
    return {f.code: f.severity.value for f in section.certificates[0].findings}


# --- type and generation from the policy OID (S/MIME BR 7.1.6.1) ---------------------------------

@pytest.mark.parametrize("oid, validation, generation", [
    ("2.23.140.1.5.1.3", "mailbox-validated", "strict"),
    ("2.23.140.1.5.2.2", "organization-validated", "multipurpose"),
    ("2.23.140.1.5.3.1", "sponsor-validated", "legacy"),
    ("2.23.140.1.5.4.3", "individual-validated", "strict"),
])
def test_it_names_the_type_and_generation_from_the_policy(oid, validation, generation, chain):
    leaf = make_leaf(issuer=chain.intermediate, policies=(oid,))
    found = detect_br_type(facts_of(leaf.certificate))
    assert (found.validation, found.generation, found.detected) == (validation, generation, True)
    assert validation.capitalize() in found.words and generation in found.words


def test_a_certificate_without_a_br_policy_says_so_plainly(chain):
    found = detect_br_type(facts_of(make_leaf(issuer=chain.intermediate).certificate))
    assert not found.detected and "does not claim" in found.words


def test_two_reserved_policies_are_called_out(chain):
    leaf = make_leaf(issuer=chain.intermediate, policies=("2.23.140.1.5.1.3", "2.23.140.1.5.1.2"))
    assert "only one such policy is allowed" in detect_br_type(facts_of(leaf.certificate)).words


# --- pkilint on the leaf, mapped to our shape -------------------------------------------------------

def test_a_clean_strict_mailbox_leaf_has_no_errors(chain):
    assert "error" not in leaf_codes(chain.leaf.certificate).values()


def test_pkilint_findings_keep_their_code_and_gain_our_words_and_citation(chain):
    leaf = make_leaf(issuer=chain.intermediate, key_usage=None, policies=(MAILBOX_STRICT,))
    section = check_compliance(leaf.certificate)
    finding = next(f for f in section.findings if f.code == "cabf.smime.key_usage_extension_missing")
    assert finding.severity.value == "error"
    assert finding.title == EXPLAINED[finding.code].title
    assert finding.reference.startswith("CA/B Forum S/MIME BR section 7.1.2.3 (e)")
    assert "cabf.smime.key_usage_extension_missing" in finding.reference
    assert finding.certificate == facts_of(leaf.certificate).sha256


@pytest.mark.parametrize("options, code", [
    ({"eku": (EMAIL_PROTECTION, SERVER_AUTH)}, "cabf.smime.prohibited_eku_present"),
    ({"crl": None}, "cabf.smime.crldp_extension_missing"),
    ({"not_after": NOW + dt.timedelta(days=1000)}, "cabf.smime.certificate_validity_period_exceeds_825_days"),
    ({"emails": ()}, "cabf.smime.san_extension_missing"),
    ({"key": rsa_key(1024)}, "cabf.rsa_modulus_invalid_length"),
], ids=["server-auth-eku", "no-crl", "too-long", "no-san", "short-key"])
def test_common_pkilint_findings_are_triggered_and_explained(options, code, chain):
    leaf = make_leaf(issuer=chain.intermediate, policies=(MAILBOX_STRICT,), **options)
    found = leaf_codes(leaf.certificate)
    assert code in found
    assert explain(code) is not None


def test_without_a_br_policy_the_type_is_guessed_and_the_legacy_sunset_is_not_held_against_it(chain):
    section = check_compliance(make_leaf(issuer=chain.intermediate).certificate)
    leaf = section.certificates[0]
    assert leaf.type_source == "guessed"
    codes = {f.code for f in leaf.findings}
    assert "cabf.smime.certificate_policies_extension_missing" in codes
    assert "cabf.smime.legacy_generation_certificate_issued_after_prohibition" not in codes


def test_unmapped_codes_keep_pkilints_code_under_a_generic_title():
    item = pkilint_runner.LintFinding("cabf.smime.some_future_code", "WARNING", "odd", "certificate", "7.1.2.3")
    from smimecenter.diagnostics.compliance import lint_findings
    leaf = make_leaf(issuer=None)
    [finding] = lint_findings([item], facts_of(leaf.certificate))
    assert finding.code == "cabf.smime.some_future_code" and "7.1.2.3" in finding.reference
    assert "odd" in finding.explanation


def test_pkilint_debug_findings_are_dropped():
    assert severity_of("DEBUG") is None and severity_of("NOTICE") == "info" and severity_of("FATAL") == "error"


def test_a_repeat_comes_from_the_cache(chain, monkeypatch):
    check_compliance(chain.leaf.certificate)
    monkeypatch.setattr(pkilint_runner, "_lint", lambda der: pytest.fail("linted twice"))
    section = check_compliance(chain.leaf.certificate)
    assert section.linter["cached"] is True


def test_when_pkilint_cannot_run_the_rest_still_works(chain, monkeypatch):
    def broken(der):
        raise pkilint_runner.LinterUnavailable("the pkilint package could not be loaded (ImportError)")
    pkilint_runner.clear_cache()
    monkeypatch.setattr(pkilint_runner, "_lint", broken)
    section = check_compliance(chain.leaf.certificate, [chain.intermediate.certificate])
    assert section.linter["available"] is False and "ImportError" in section.linter["problem"]
    assert [f.code for f in section.certificates[0].findings] == ["compliance.not_linted"]
    assert section.certificates[1].role == "intermediate"


def test_a_leaf_never_linted_is_never_called_compliant(chain, monkeypatch):
    def broken(der):
        raise pkilint_runner.LinterUnavailable("pkilint could not decode the certificate (bad)")
    pkilint_runner.clear_cache()
    monkeypatch.setattr(pkilint_runner, "_lint", broken)
    section = check_compliance(chain.leaf.certificate)
    assert section.status != "pass"
    said = section.certificates[0].findings[0]
    assert "could not be linted" in said.explanation and "could not decode" in said.explanation


def test_a_linted_leaf_carries_no_not_linted_finding(chain):
    pkilint_runner.clear_cache()
    assert "compliance.not_linted" not in leaf_codes(chain.leaf.certificate)


def test_two_reserved_policies_are_shown_as_the_type_they_were_linted_as():
    pkilint_runner.clear_cache()
    for policies in (("2.23.140.1.5.1.3", "2.23.140.1.5.4.2"), ("2.23.140.1.5.4.2", "2.23.140.1.5.1.3")):
        leaf = make_leaf(issuer=make_root(), policies=policies)
        entry = check_compliance(leaf.certificate).certificates[0]
        level, generation = entry.linted_as.split("-")
        shown = entry.br_type
        assert (shown.validation, shown.generation) == (
            {"MAILBOX": "mailbox-validated", "INDIVIDUAL": "individual-validated"}[level],
            generation.lower()), policies
        assert len(shown.all_oids) == 2 and "only one such policy is allowed" in shown.words


# --- our own intermediate checks (S/MIME BR 7.1.2.2) -----------------------------------------------

def intermediate_codes(leaf=None, **options) -> set[str]:
    root = make_root()
    options.setdefault("crl", CRL)
    options.setdefault("policies", ("2.23.140.1.5.1.3",))
    ca = make_intermediate(issuer=root, **options)
    leaf_info = facts_of(leaf.certificate) if leaf is not None else None
    return {rule.code for rule, _ in intermediate_problems(facts_of(ca.certificate), leaf_info)}


def test_a_well_formed_intermediate_passes():
    assert intermediate_codes() == set()


@pytest.mark.parametrize("options, code", [
    ({"eku": None}, "compliance.intermediate.no_eku"),
    ({"eku": (SERVER_AUTH,)}, "compliance.intermediate.no_email_protection"),
    ({"eku": (EMAIL_PROTECTION, SERVER_AUTH)}, "compliance.intermediate.prohibited_eku"),
    ({"key_usage": None}, "compliance.intermediate.no_key_usage"),
    ({"key_usage": {"key_cert_sign"}}, "compliance.intermediate.key_usage_bits"),
    ({"ca": None}, "compliance.intermediate.basic_constraints"),
    ({"crl": None}, "compliance.intermediate.no_crl"),
    ({"crl": "ldap://ldap.example.com/ca"}, "compliance.intermediate.no_crl"),
    ({"policies": ()}, "compliance.intermediate.no_policies"),
    ({"authority_key_id": False}, "compliance.intermediate.no_authority_key_id"),
    ({"subject_key_id": False}, "compliance.intermediate.no_subject_key_id"),
    ({"key": rsa_key(1024)}, "compliance.intermediate.key"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_each_intermediate_rule_fires_on_its_own_problem(options, code):
    assert code in intermediate_codes(**options)


def test_an_intermediate_that_expires_before_the_leaf_is_flagged():
    root = make_root()
    ca = make_intermediate(issuer=root, crl=CRL, policies=("2.23.140.1.5.1.3",), not_after=NOW + dt.timedelta(days=30))
    leaf = make_leaf(issuer=ca)
    problems = intermediate_problems(facts_of(ca.certificate), facts_of(leaf.certificate))
    assert "compliance.intermediate.expires_before_leaf" in {rule.code for rule, _ in problems}


def test_every_intermediate_rule_cites_the_brs():
    for declared in INTERMEDIATE_RULES:
        assert "CA/B Forum S/MIME BR section" in declared.reference


def test_the_section_serialises_with_type_status_and_linter(chain):
    data = check_compliance(chain.leaf.certificate, [chain.intermediate.certificate]).to_dict()
    assert data["linter"]["name"] == "pkilint" and data["linter"]["version"]
    assert data["certificates"][0]["br_type"]["generation"] == "strict"
    assert data["certificates"][0]["linted_as"] == "MAILBOX-STRICT"
    assert data["status"] in ("pass", "warn", "fail")


def test_a_crash_inside_pkilint_becomes_a_plain_reason_not_an_exception(monkeypatch):
    def crash(*args):
        raise RuntimeError("boom")
    pkilint_runner.clear_cache()
    monkeypatch.setattr(pkilint_runner, "_validator", crash)
    leaf = make_leaf(issuer=make_root(), policies=(MAILBOX_STRICT,))
    section = check_compliance(leaf.certificate)
    assert section.linter["available"] is False
    assert section.linter["problem"] == "pkilint failed on this certificate (RuntimeError)"


def test_the_section_says_whether_the_rules_bind_this_ca(chain):
    """S/MIME BR 1.1: the rules bind publicly trusted CAs; a private CA's findings are advice (issue 11 item 10)."""
    from smimecenter.diagnostics.engine import diagnose_parsed
    from smimecenter.diagnostics.inputs import read_inputs
    from smimecenter.diagnostics.trust import TrustStore
    from tests.diagnostics.builders import pem

    supplied = read_inputs([pem(chain.leaf, chain.intermediate)])
    public = TrustStore.from_pem(pem(chain.root), name="Mozilla email roots")
    private = TrustStore.from_pem(pem(make_root(common_name="Unrelated Root")), name="Mozilla email roots")
    as_public = diagnose_parsed(supplied, email=None, stores=[public], public_store=public, at=None, compliance=True)
    as_private = diagnose_parsed(supplied, email=None, stores=[private], public_store=private, at=None,
                                 compliance=True)
    assert as_public.sections["compliance"]["applies"]["publicly_trusted"] is True
    assert as_private.sections["compliance"]["applies"]["publicly_trusted"] is False
    assert "apply only to publicly trusted" in as_private.sections["compliance"]["applies"]["words"]
