from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

import smimecenter.diagnostics.checks.csr  # noqa: F401  (registers the csr.* checks)
from smimecenter.diagnostics import diagnose
from smimecenter.diagnostics.checks.csr import CSR_RULES, csr_findings
from smimecenter.diagnostics.csr_check import examine, summarise
from smimecenter.diagnostics.inputs import read_inputs
from tests.diagnostics.builders import ed25519_key, next_rsa_key, rsa_key

from .helpers import OPENSSL, csr, csr_pem, openssl_sha1_csr

CHALLENGE = x509.ObjectIdentifier("1.2.840.113549.1.9.7")


def problem_codes(request, email=None) -> set[str]:
    return {p.code for p in examine(request, email=email)}


def test_a_good_request_raises_nothing():
    assert problem_codes(csr(), email="alice@example.com") == set()


def test_it_summarises_subject_key_addresses_and_signature():
    summary = summarise(csr())
    assert summary.subject == "CN=alice@example.com"
    assert summary.san_emails == ("alice@example.com",)
    assert (summary.key_type, summary.key_size, summary.signature_valid) == ("RSA", 2048, True)
    assert summary.public_key_pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert len(summary.public_key_sha256) == 64


def test_it_reads_a_der_request_through_the_input_reader():
    der = csr().public_bytes(serialization.Encoding.DER)
    parsed = read_inputs([der])
    assert len(parsed.csrs) == 1 and problem_codes(parsed.csrs[0]) == set()


def test_it_catches_a_request_altered_after_signing():
    pem = csr_pem(csr(emails=("alice@example.com",)))
    der = x509.load_pem_x509_csr(pem).public_bytes(serialization.Encoding.DER)
    tampered = der.replace(b"alice@example.com", b"mally@example.com")
    request = read_inputs([tampered]).csrs[0]
    assert "csr.bad_signature" in problem_codes(request)


@pytest.mark.skipif(OPENSSL is None, reason="needs the openssl command")
def test_it_flags_a_sha1_signed_request():
    request = read_inputs([openssl_sha1_csr()]).csrs[0]
    assert "csr.weak_signature" in problem_codes(request)


def test_it_flags_a_short_rsa_key():
    assert "csr.weak_key" in problem_codes(csr(key=rsa_key(1024)))


def test_it_accepts_p256_and_refuses_a_curve_the_rules_do_not_allow():
    assert problem_codes(csr(key=ec.generate_private_key(ec.SECP256R1()))) == set()
    assert "csr.unsupported_key" in problem_codes(csr(key=ec.generate_private_key(ec.SECP256K1())))


def test_it_warns_that_mail_clients_cannot_use_an_ed25519_key_yet():
    assert "csr.eddsa_key" in problem_codes(csr(key=ed25519_key(), hash_algorithm=None))


def test_it_flags_a_request_with_no_address():
    assert "csr.no_email" in problem_codes(csr(emails=(), subject=x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, "Alice")])))


def test_it_warns_when_the_address_is_only_in_the_subject():
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Alice"),
                         x509.NameAttribute(NameOID.EMAIL_ADDRESS, "alice@example.com")])
    found = problem_codes(csr(emails=(), subject=subject))
    assert "csr.email_only_in_subject" in found and "csr.no_email" not in found


def test_it_compares_the_expected_address_with_a_case_insensitive_domain():
    assert "csr.email_mismatch" in problem_codes(csr(), email="bob@example.com")
    assert "csr.email_mismatch" not in problem_codes(csr(), email="alice@EXAMPLE.com")


def test_it_names_the_fields_a_ca_will_replace():
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "alice@example.com"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Ltd")])
    request = csr(subject=subject, extensions=[(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)])
    problem = next(p for p in examine(request) if p.code == "csr.fields_replaced")
    assert problem.details["attributes"] == ["organizationName"]
    assert problem.details["extensions"] == ["extendedKeyUsage"]
    assert "csr.fields_replaced" not in problem_codes(csr())


def test_it_warns_about_a_request_to_be_a_ca():
    request = csr(extensions=[(x509.BasicConstraints(ca=True, path_length=None), True)])
    assert "csr.requests_ca" in problem_codes(request)


def test_it_warns_about_a_challenge_password_in_clear():
    assert "csr.challenge_password" in problem_codes(csr(attributes=[(CHALLENGE, b"hunter2")]))


def test_findings_for_a_request_are_worded_and_sorted_errors_first():
    findings = csr_findings(csr(key=rsa_key(1024), attributes=[(CHALLENGE, b"x")]), email="bob@example.com")
    assert [f.severity.value for f in findings] == sorted(
        (f.severity.value for f in findings), key=["error", "warning", "info"].index)
    assert all("{" not in f.explanation + f.fix + f.title for f in findings)
    assert {"csr.weak_key", "csr.email_mismatch", "csr.challenge_password"} <= {f.code for f in findings}


def test_the_engine_reports_csr_findings_next_to_its_request_notice():
    report = diagnose([csr_pem(csr(key=rsa_key(1024)))])
    assert {"input.csr_not_certificate", "csr.weak_key"} <= set(report.codes)


def test_every_csr_code_has_words_and_a_reference():
    for code, declared in CSR_RULES.items():
        assert code.startswith("csr.") and declared.reference and declared.learn_more.startswith("/")


def test_a_readable_request_records_no_reading_problems():
    assert summarise(csr(key=next_rsa_key())).problems == ()


def _request_with_undecodable_subject() -> x509.CertificateSigningRequest:
    """A request that loads (cryptography checks only the outer structure) but whose subject
    raises when read: its common name is no longer valid UTF-8, as fuzzed input often is."""
    der = csr().public_bytes(serialization.Encoding.DER)
    where = der.find(b"alice@example.com")
    damaged = der[:where] + b"\xff" * 17 + der[where + 17:]
    request = x509.load_der_x509_csr(damaged)
    with pytest.raises(ValueError):
        request.subject  # noqa: B018  (the lazy decode this test is about)
    return request


def test_a_request_whose_subject_cannot_be_decoded_is_described_not_raised(caplog):
    request = _request_with_undecodable_subject()
    summary = summarise(request)
    assert summary.subject == "(a subject that cannot be decoded)"
    assert any("its subject could not be read" in p for p in summary.problems)
    examine(request, email="alice@example.com")
    report = diagnose([request.public_bytes(serialization.Encoding.PEM)])
    assert "Traceback" not in caplog.text and "failed" not in caplog.text
    assert report.summary


def test_the_csr_page_answers_an_undecodable_subject_without_an_error(client):
    request = _request_with_undecodable_subject()
    pem_text = request.public_bytes(serialization.Encoding.PEM).decode()
    response = client.post("/tools/csr/", {"text": pem_text}, follow=True)
    assert response.status_code == 200
    assert "cannot be decoded" in response.content.decode()
