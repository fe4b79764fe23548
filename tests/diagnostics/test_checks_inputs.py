"""Findings for what the input reader reports: each event code gets its words from the catalog."""
from __future__ import annotations

from smimecenter.diagnostics import Limits, diagnose

from .builders import make_chain, make_csr, make_root, pem, pkcs12_bytes, private_key_pem, rsa_key
from .test_checks_chain import finding


def test_it_warns_about_a_pasted_private_key_without_echoing_it():
    chain = make_chain()
    key_pem = private_key_pem(chain.leaf.key)
    report = diagnose([chain.supplied_pem + key_pem])
    warned = finding(report, "input.private_key_present")
    assert "RSA" in warned.explanation
    body = key_pem.decode().splitlines()[1]
    assert body not in str(report.to_dict())


def test_no_private_key_warning_for_certificates_alone():
    assert "input.private_key_present" not in diagnose([make_chain().supplied_pem]).codes


def test_it_says_a_csr_is_a_request_not_a_certificate():
    from cryptography.hazmat.primitives.serialization import Encoding
    request = make_csr(email="alice@example.com").public_bytes(Encoding.PEM)
    report = diagnose([request])
    assert "request" in finding(report, "input.csr_not_certificate").title
    assert "input.no_certificate" in report.codes


def test_it_says_when_nothing_readable_was_supplied():
    report = diagnose([b"\x00\x01\x02 definitely not a certificate \xff" * 4])
    assert "input.unreadable" in report.codes
    assert report.status == "fail"
    assert report.summary == "No certificate was found in what you supplied."


def test_readable_input_is_not_called_unreadable():
    assert "input.unreadable" not in diagnose([make_chain().supplied_pem]).codes


def test_it_refuses_input_over_the_size_limit():
    chain = make_chain()
    report = diagnose([chain.supplied_pem], limits=Limits(max_input_bytes=1024))
    assert finding(report, "input.too_large").severity.value == "error"
    assert "input.no_certificate" not in report.codes


def test_it_keeps_only_the_allowed_number_of_certificates():
    roots = [make_root(common_name=f"Root {i}") for i in range(4)]
    report = diagnose([pem(*roots)], limits=Limits(max_certificates=2))
    assert "input.too_many_certificates" in report.codes
    assert "input.too_many_certificates" not in diagnose([pem(*roots)]).codes


def test_it_reports_a_wrong_pkcs12_password():
    chain = make_chain()
    p12 = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"right")
    assert "pkcs12.wrong_password" in diagnose([p12], password="wrong").codes
    assert "pkcs12.wrong_password" not in diagnose([p12], password="right").codes


def test_it_explains_a_pkcs12_file_paired_with_the_right_key():
    chain = make_chain()
    p12 = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, extra=[chain.intermediate])
    report = diagnose([p12], password="secret", trust=[chain.root_pem])
    assert report.chain[0] == chain.leaf.sha256
    assert report.trust["trusted"] is True
    assert not {"pkcs12.key_mismatch", "pkcs12.no_private_key"} & set(report.codes)


def test_it_reports_a_key_that_belongs_to_no_certificate():
    chain = make_chain()
    stranger_key = rsa_key(2048, slot=99)
    p12 = pkcs12_bytes(key=stranger_key, extra=[chain.leaf])
    assert "pkcs12.key_mismatch" in diagnose([p12], password="secret").codes


def test_it_reports_a_pkcs12_file_without_a_key():
    chain = make_chain()
    p12 = pkcs12_bytes(extra=[chain.leaf, chain.intermediate])
    assert "pkcs12.no_private_key" in diagnose([p12], password="secret").codes


def test_it_refuses_a_pkcs12_file_with_too_many_iterations():
    chain = make_chain()
    p12 = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, iterations=5000)
    report = diagnose([p12], password="secret", limits=Limits(max_pkcs12_iterations=1000))
    assert "5000" in finding(report, "pkcs12.too_expensive").explanation
    assert "pkcs12.too_expensive" not in diagnose([p12], password="secret").codes


def test_a_certificate_is_neither_a_request_nor_too_large_nor_missing():
    report = diagnose([make_chain().supplied_pem])
    assert not {"input.csr_not_certificate", "input.too_large",
                "input.no_certificate"} & set(report.codes)
