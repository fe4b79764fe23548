"""The verdict (diagnostics/verdict.py): whose question the input asks and the one answer to it."""
from __future__ import annotations

import pytest

from smimecenter.diagnostics.findings import Finding, Severity
from smimecenter.diagnostics.verdict import Facts, agree_compatibility, decide, in_priority_order

from .test_verdict_agreement import run
from .verdict_corpus import case, cases

EXPECTING = [c for c in cases() if c.state or c.question]


@pytest.mark.parametrize("case", EXPECTING, ids=lambda c: c.name)
def test_each_everyday_input_gets_its_question_and_answer(case):
    data = run(case)
    verdict = data["verdict"]
    if case.question:
        assert verdict["question"] == case.question
    if case.state:
        assert verdict["state"] == case.state
    if case.headline_key:
        assert verdict["headline_key"] == case.headline_key
    if case.first_code:
        assert verdict["reasons"][0]["code"] == case.first_code
        assert data["findings"][0]["code"] == case.first_code
    assert set(case.codes) <= {f["code"] for f in data["findings"]}


def finding(code: str, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(code=code, severity=severity, title=f"{code} title", explanation="", fix=f"{code} fix",
                   learn_more="/learn/", certificate=None, reference="")


FACTS = dict(has_certificate=True, has_leaf=True, received_message=False, chain_trusted=False,
             publicly_trusted=False, trusted_by=None, revocation_checked=False,
             capabilities={"sign": True, "encrypt": True})


def test_a_private_key_comes_before_every_error_and_the_wrong_kind_before_chain_details():
    ordered = in_priority_order([
        finding("chain.missing_intermediate"), finding("validity.expiring_soon", Severity.WARNING),
        finding("usage.not_for_email"), finding("input.private_key_present")])
    assert [f.code for f in ordered] == ["input.private_key_present", "usage.not_for_email",
                                         "chain.missing_intermediate", "validity.expiring_soon"]


def test_without_a_special_finding_errors_come_before_warnings_in_their_order():
    ordered = in_priority_order([finding("a.warn", Severity.WARNING), finding("b.err"), finding("c.err")])
    assert [f.code for f in ordered] == ["b.err", "c.err", "a.warn"]


def test_a_wrong_password_is_the_one_reason_never_no_certificate():
    verdict = decide([finding("input.no_certificate"), finding("pkcs12.wrong_password")],
                     Facts(**{**FACTS, "has_certificate": False, "has_leaf": False}))
    assert verdict.state == "could_not_check"
    assert [r.code for r in verdict.reasons] == ["pkcs12.wrong_password"]
    assert verdict.retry and "password" in verdict.retry
    assert verdict.badges == ()


def test_nothing_readable_says_no_certificate_and_how_to_retry():
    verdict = decide([finding("input.no_certificate")], Facts(**{**FACTS, "has_certificate": False}))
    assert verdict.headline_key == "could_not_check.nothing_readable"
    assert verdict.retry


def test_a_changed_message_blames_the_message_and_keeps_the_sender_trusted():
    verdict = decide([finding("message.signature_invalid"), finding("chain.trusted", Severity.INFO)],
                     Facts(**{**FACTS, "received_message": True, "chain_trusted": True, "publicly_trusted": True,
                              "trusted_by": "Mozilla"}))
    assert verdict.headline_key == "message.changed"
    badges = {b.name: b.state for b in verdict.badges}
    assert badges == {"content": "no", "sender": "yes"}
    assert "sign" not in badges


def test_a_good_message_from_an_untrusted_sender_says_so():
    verdict = decide([finding("message.signature_valid", Severity.INFO), finding("chain.untrusted_root")],
                     Facts(**{**FACTS, "received_message": True}))
    assert verdict.headline_key == "message.sender_not_trusted"
    assert {b.name: b.state for b in verdict.badges} == {"content": "yes", "sender": "no"}


def test_a_publicly_trusted_certificate_is_plainly_trusted_but_revocation_is_named():
    verdict = decide([finding("chain.trusted", Severity.INFO)],
                     Facts(**{**FACTS, "chain_trusted": True, "publicly_trusted": True, "trusted_by": "Mozilla"}))
    assert verdict.headline == "Trusted"
    assert verdict.trust_scope == "public"
    assert any("Revocation was not checked" in words for words in verdict.not_checked)
    checked = decide([finding("chain.trusted", Severity.INFO)],
                     Facts(**{**FACTS, "chain_trusted": True, "publicly_trusted": True, "trusted_by": "Mozilla",
                              "revocation_checked": True}))
    assert not any("Revocation" in words for words in checked.not_checked)


def test_a_root_given_for_the_check_trusts_only_where_it_is_installed():
    verdict = decide([finding("chain.trusted", Severity.INFO)],
                     Facts(**{**FACTS, "chain_trusted": True, "trusted_by": "Extra trust anchors"}))
    assert verdict.headline_key == "own.works_with_installed_root"
    assert verdict.trust_scope == "installed_root"
    assert any("devices that do not have this root installed" in words for words in verdict.not_checked)
    assert all("where your root is installed" in b.words for b in verdict.badges)


@pytest.mark.parametrize("purposes, key", [(("serverAuth",), "own.wrong_kind.website"),
                                           (("codeSigning",), "own.wrong_kind.code_signing"),
                                           (("clientAuth",), "own.wrong_kind")])
def test_the_wrong_kind_of_certificate_is_named_in_the_headline(purposes, key):
    verdict = decide([finding("chain.missing_intermediate"), finding("usage.not_for_email")],
                     Facts(**{**FACTS, "leaf_purposes": purposes}))
    assert verdict.headline_key == key
    assert [r.code for r in verdict.reasons] == ["usage.not_for_email", "chain.missing_intermediate"]


ROW = {"client": "thunderbird", "name": "Thunderbird", "sign": "yes", "encrypt": "yes", "trusted": "unknown",
       "root_store": "its own", "blockers": [], "notes": []}


def test_the_mail_app_table_says_no_under_a_failing_verdict_with_the_verdicts_reason():
    verdict = decide([finding("validity.expired")], Facts(**FACTS))
    row = agree_compatibility({"certificate": "x", "clients": [ROW]}, verdict)["clients"][0]
    assert (row["sign"], row["encrypt"]) == ("no", "no")
    assert row["blockers"][0]["id"] == "verdict.own.does_not_work"
    assert "validity.expired title" in row["blockers"][0]["says"]


def test_the_mail_app_table_keeps_its_answers_under_a_working_verdict_and_says_why_trust_is_unknown():
    verdict = decide([], Facts(**{**FACTS, "chain_trusted": True, "publicly_trusted": True, "trusted_by": "M"}))
    row = agree_compatibility({"certificate": "x", "clients": [ROW]}, verdict)["clients"][0]
    assert (row["sign"], row["encrypt"]) == ("yes", "yes")
    assert row["blockers"] == []
    assert "its own" in row["trusted_reason"]


def test_the_report_lists_the_verdicts_first_reason_first():
    data = run(case("website certificate pasted by mistake"))
    assert data["findings"][0]["code"] == "usage.not_for_email"
    assert data["verdict"]["headline"] == "This is a website (TLS) certificate, not an email certificate"
    assert "cannot be used for email" in data["summary"]


def test_a_received_message_is_never_answered_as_your_certificate():
    data = run(case("received message, changed after signing"))
    assert "will not work" not in data["summary"]
    assert "not about the certificate" in data["summary"]
    assert [b["name"] for b in data["verdict"]["badges"]] == ["content", "sender"]


@pytest.mark.parametrize("received, leaf, key", [(False, True, "own.private_root_not_supplied"),
                                                 (True, True, "message.private_root_not_supplied"),
                                                 (False, False, "ca.private_root_not_supplied")])
def test_a_private_root_not_supplied_asks_for_the_root_instead_of_saying_it_will_not_work(received, leaf, key):
    verdict = decide([finding("chain.private_root_not_supplied"), finding("validity.expiring_soon", Severity.WARNING)],
                     Facts(**{**FACTS, "received_message": received, "has_leaf": leaf}))
    assert verdict.headline_key == key
    assert "root is needed" in verdict.headline


def test_another_first_error_keeps_the_plain_headline():
    verdict = decide([finding("validity.expired"), finding("chain.private_root_not_supplied")], Facts(**FACTS))
    assert verdict.headline_key == "own.does_not_work"


def test_a_p12_that_was_not_opened_is_never_reported_as_holding_no_certificate():
    codes = [f["code"] for f in run(case(".p12 with the wrong password"))["findings"]]
    assert "pkcs12.wrong_password" in codes
    assert not {"input.no_certificate", "pkcs12.no_private_key"} & set(codes)
    assert "input.no_certificate" in [f["code"] for f in run(case("plain text"))["findings"]]
