"""RFC 4134's signed examples (tests/data/rfc4134/): each one reads, its attributes are named,
nothing in it is fatal. Old (2005) algorithms: SHA-1 digests and DSA keys are reported, not hidden."""
from __future__ import annotations

from pathlib import Path

import pytest

from smimecenter.diagnostics import diagnose

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "rfc4134"
SIGNED = ["4.1.bin", "4.2.bin", "4.3.bin", "4.4.bin", "4.5.bin", "4.6.bin", "4.7.bin",
          "4.8.eml", "4.9.eml", "4.10.bin"]
UNREADABLE = {"input.unreadable", "input.no_certificate", "certificate.malformed"}


def read(name: str):
    report = diagnose([(EXAMPLES / name).read_bytes()])
    return report, report.to_dict()


@pytest.mark.parametrize("name", SIGNED)
def test_every_signed_example_reads_with_its_signer(name):
    report, data = read(name)
    assert not UNREADABLE & set(report.codes)
    assert data["messages"], "no signature was read"
    first = data["messages"][0]
    assert first["signer"] is not None and first["digest_algorithm"] == "sha1"
    assert first["signature_algorithm"] in {"DSA", "RSA PKCS#1 v1.5"}
    # SHA-1 is named as what it is, a weak digest, never as a broken message.
    assert "message.weak_digest" in report.codes
    assert "message.signature_invalid" not in report.codes


@pytest.mark.parametrize("name", [n for n in SIGNED if n != "4.3.bin"])
def test_every_example_with_its_content_verifies(name):
    report, data = read(name)
    assert data["messages"][0]["signature_valid"] is True
    assert data["messages"][0]["content_intact"] is True
    assert "message.signature_valid" in report.codes


def test_the_detached_example_says_the_content_is_missing():
    report, data = read("4.3.bin")
    assert data["messages"][0]["signature_valid"] is None
    assert "not supplied" in data["messages"][0]["problem"]
    assert "message.signature_unverified" in report.codes


def test_the_ess_attributes_of_example_4_10_are_named_and_the_made_up_one_is_kept():
    report, data = read("4.10.bin")
    attributes = {a["oid"]: a["name"] for a in data["messages"][0]["signed_attributes"]}
    assert attributes["1.2.840.113549.1.9.16.2.2"] == "ESS security label"
    assert attributes["1.2.840.113549.1.9.16.2.9"] == "ESS equivalent labels"
    assert attributes["1.2.840.113549.1.9.16.2.3"] == "ESS mailing list expansion history"
    assert attributes["1.2.840.113549.1.9.16.2.4"] == "ESS content hints"
    assert attributes["1.2.5555"] is None
    [unknown] = [f for f in report.findings if f.code == "message.unknown_attribute"]
    assert "1.2.5555" in unknown.explanation and unknown.severity.value == "info"


def test_example_4_4_gives_its_signing_time():
    _, data = read("4.4.bin")
    assert data["messages"][0]["signing_time"] == "2003-05-14T15:39:00Z"


def test_both_signers_of_example_4_6_are_reported():
    report, data = read("4.6.bin")
    assert [m["signer_count"] for m in data["messages"]] == [2, 2]
    assert data["messages"][0]["signature_valid"] is True
    # Diane's certificate inherits its DSA parameters from Carl's (RFC 3279 section 2.3.2),
    # which cryptography cannot load: her signature is reported as not checked, not as broken,
    # and her certificate as unreadable, not as missing.
    assert data["messages"][1]["signature_valid"] is None
    assert "is in the signature but cannot be read" in data["messages"][1]["problem"]
    assert "message.signature_invalid" not in report.codes


def test_a_signer_whose_certificate_is_left_out_is_still_called_missing():
    # Example 4.6 without its certificates: Alice's is then missing, and said to be.
    from asn1crypto import cms

    info = cms.ContentInfo.load((EXAMPLES / "4.6.bin").read_bytes())
    info["content"]["certificates"] = cms.CertificateSet([])
    report = diagnose([info.dump(force=True)])
    problems = [m["problem"] for m in report.to_dict()["messages"]]
    assert problems and all("is not in the signature" in p for p in problems)


@pytest.mark.parametrize("name", ["4.8.eml", "4.9.eml"])
def test_the_mail_examples_give_the_sender(name):
    _, data = read(name)
    assert data["messages"][0]["from_address"] == "aliceDss@examples.com"


def test_the_certificates_only_example_gives_its_certificates():
    report, data = read("4.11.bin")
    assert {c["subject"] for c in data["certificates"]} == {"CN=AliceDSS", "CN=CarlDSS"}
    assert not data["messages"] and not UNREADABLE & set(report.codes)
