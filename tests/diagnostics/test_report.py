"""The report's shape (the JSON the web page and API read) and the completeness of the catalog."""
from __future__ import annotations

import json

from smimecenter.diagnostics import diagnose
from smimecenter.diagnostics.checks import all_rules
from smimecenter.diagnostics.inputs import events

from .builders import diagnose_built, make_chain

ISSUE_CODES = {
    "input.unreadable", "input.private_key_present", "input.csr_not_certificate", "input.too_large",
    "input.too_many_certificates", "pkcs12.wrong_password", "pkcs12.key_mismatch",
    "pkcs12.no_private_key", "pkcs12.too_expensive", "chain.trusted", "chain.missing_intermediate",
    "chain.untrusted_root", "chain.private_root_not_supplied", "chain.self_signed_leaf", "chain.bad_signature",
    "chain.issuer_not_ca",
    "chain.path_length_exceeded", "chain.intermediate_not_for_email",
    "chain.name_constraints_violation", "chain.wrong_order", "chain.duplicate",
    "chain.unrelated_certificate", "chain.root_included", "validity.expired",
    "validity.not_yet_valid", "validity.expiring_soon", "identity.email_mismatch",
    "identity.email_only_in_subject", "identity.no_email", "usage.not_for_email",
    "usage.cannot_sign", "usage.cannot_encrypt", "crypto.weak_key", "crypto.weak_signature",
    "crypto.unsupported_key", "revocation.no_info", "message.signature_valid",
    "message.signature_invalid", "message.not_signed",
}

ARTICLE_SECTIONS = {
    "/learn/what-is-smime/#how-it-works", "/learn/signing-vs-encryption/#verifying-a-signature",
    "/learn/signing-vs-encryption/#encrypt-and-sign",
    "/learn/signing-vs-encryption/#encryption-needs-recipient-certificate",
    "/learn/what-is-a-csr/#csr-vs-certificate", "/learn/what-is-a-csr/#what-goes-in-a-csr",
    "/learn/what-is-pkcs12/#file-formats", "/learn/what-is-pkcs12/#private-key-safety",
    "/learn/what-is-pkcs12/#passwords-and-encryption", "/learn/what-is-pkcs12/#import-compatibility",
    "/learn/what-is-a-certificate-authority/#root-stores",
    "/learn/what-is-a-certificate-authority/#public-vs-private-ca",
    "/learn/why-trust-fails/#how-chains-work", "/learn/why-trust-fails/#missing-intermediate",
    "/learn/why-trust-fails/#untrusted-root", "/learn/why-trust-fails/#self-signed",
    "/learn/why-trust-fails/#broken-chain", "/learn/why-trust-fails/#intermediate-not-for-email",
    "/learn/why-trust-fails/#chain-order", "/learn/certificate-exists-but-unusable/#expired",
    "/learn/certificate-exists-but-unusable/#key-usage",
    "/learn/certificate-exists-but-unusable/#extended-key-usage",
    "/learn/certificate-exists-but-unusable/#missing-private-key",
    "/learn/certificate-exists-but-unusable/#revocation",
    "/learn/subjectaltname-email-identity/#email-mismatch",
    "/learn/subjectaltname-email-identity/#email-only-in-subject",
    "/learn/subjectaltname-email-identity/#no-email", "/learn/rsa-vs-ecc/#key-sizes",
    "/learn/subjectaltname-email-identity/#where-the-address-lives",
    "/learn/rsa-vs-ecc/#eddsa", "/learn/rsa-vs-ecc/#signature-algorithms",
    "/guides/distribute-private-root/#add-your-root", "/guides/openssl-csr-and-pkcs12/#create-a-csr", "/guides/openssl-csr-and-pkcs12/#build-a-pkcs12",
    "/guides/openssl-csr-and-pkcs12/#legacy", "/troubleshooting/p12-wrong-password/#modern-encryption",
    "/troubleshooting/p12-wrong-password/",
    "/troubleshooting/can-sign-but-cannot-encrypt/", "/guides/distribute-private-root/",
    "/troubleshooting/digital-signature-invalid-or-not-trusted/#revocation-check",
}


def test_the_catalog_declares_every_code_the_site_relies_on():
    assert ISSUE_CODES <= set(all_rules())


def test_every_input_event_has_words_in_the_catalog():
    assert set(events.ALL_CODES) <= set(all_rules())


def test_every_rule_cites_a_rule_and_links_to_an_existing_article_section():
    for code, rule in all_rules().items():
        assert rule.reference.strip(), code
        assert rule.learn_more in ARTICLE_SECTIONS, (code, rule.learn_more)
        assert rule.title and rule.explanation and rule.fix, code


def test_the_json_form_has_a_stable_key_order_and_survives_json():
    chain = make_chain()
    report = diagnose([chain.supplied_pem], trust=[chain.root_pem], email="alice@example.com")
    data = report.to_dict()
    assert list(data) == ["status", "summary", "checked_at", "findings", "certificates", "chain",
                          "trust", "capabilities", "messages", "online", "question", "verdict", "pkcs12",
                          "compatibility"]
    assert json.loads(json.dumps(data)) == data
    assert list(data["findings"][0]) == ["code", "severity", "title", "explanation", "fix",
                                        "learn_more", "certificate", "reference"]
    leaf = data["certificates"][0]
    assert leaf["role"] == "leaf" and leaf["emails"] == ["alice@example.com"]
    assert leaf["key"] == {"type": "RSA", "size": 2048, "curve": None}
    assert data["certificates"][-1]["role"] == "root"
    assert len(data["chain"]) == 3


def test_status_is_fail_with_an_error_warn_with_a_warning_and_pass_otherwise():
    chain = make_chain()
    assert diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root]).status == "pass"
    assert diagnose_built(chain.intermediate, chain.leaf, anchors=[chain.root]).status == "warn"
    assert diagnose_built(chain.leaf, chain.intermediate).status == "fail"


def test_the_summary_is_one_plain_sentence_naming_the_certificate():
    chain = make_chain()
    passing = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    failing = diagnose_built(chain.leaf, anchors=[chain.root])
    assert passing.summary.endswith("mail.") and "\n" not in passing.summary
    assert "alice@example.com" in passing.summary
    assert "intermediate certificate is missing" in failing.summary


def test_the_report_lists_policy_types_and_generations():
    chain = make_chain(policies=("2.23.140.1.5.1.3", "1.3.6.1.4.1.99999.1"))
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    policies = report.certificates[0]["policies"]
    assert policies[0] == {"oid": "2.23.140.1.5.1.3", "smime_type": "mailbox-validated",
                           "generation": "strict"}
    assert policies[1]["smime_type"] is None


def test_a_malformed_extension_is_reported_not_raised():
    from cryptography import x509

    from smimecenter.diagnostics.engine import diagnose_parsed
    from smimecenter.diagnostics.inputs import ParsedInputs, SuppliedCertificate
    from smimecenter.diagnostics.trust import TrustStore

    from .builders import make_leaf, make_root, pem

    root = make_root()
    broken = x509.UnrecognizedExtension(x509.ObjectIdentifier("2.5.29.17"), b"\x30\x03\x81")
    leaf = make_leaf(issuer=root, emails=(), extra_extensions=[(broken, False)])
    # Handed over directly: the input reader itself may refuse such a certificate.
    parsed = ParsedInputs(certificates=[SuppliedCertificate(leaf.certificate, "the input", "pem")])
    store = TrustStore.from_pem(pem(root), name="Extra trust anchors")
    report = diagnose_parsed(parsed, email=None, stores=[store], public_store=store, at=None)
    assert report.certificates[0]["problems"]
    malformed = [f for f in report.findings if f.code == "certificate.malformed"]
    assert "malformed" in malformed[0].explanation
    assert report.to_dict()["status"] in {"fail", "warn", "pass"}


def test_a_well_formed_certificate_is_not_called_malformed():
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "certificate.malformed" not in report.codes


def test_a_certificate_whose_name_cannot_be_decoded_is_reported_by_fingerprint():
    from cryptography import x509

    from smimecenter.diagnostics.engine import diagnose_parsed
    from smimecenter.diagnostics.inputs import ParsedInputs, SuppliedCertificate
    from smimecenter.diagnostics.trust import TrustStore

    from .builders import pem

    chain = make_chain()
    der = chain.leaf.der
    where = der.find(b"alice@example.com")  # first occurrence: the subject's common name
    damaged = x509.load_der_x509_certificate(der[:where] + b"\xff" + der[where + 1:])
    parsed = ParsedInputs(certificates=[
        SuppliedCertificate(damaged, "the input, block 1", "pem"),
        SuppliedCertificate(chain.intermediate.certificate, "the input, block 2", "pem")])
    store = TrustStore.from_pem(pem(chain.root), name="Extra trust anchors")
    report = diagnose_parsed(parsed, email=None, stores=[store], public_store=store, at=None)
    unreadable = [f for f in report.findings if f.code == "certificate.unreadable"]
    assert unreadable and "subject or issuer name" in unreadable[0].explanation
    assert report.status == "fail"
    assert "certificate.unreadable" not in diagnose_built(chain.leaf, chain.intermediate).codes


def test_the_summary_says_why_nothing_could_be_checked():
    from .builders import pkcs12_bytes

    chain = make_chain()
    p12 = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"right")
    report = diagnose([p12], password="wrong")
    assert report.summary == "Nothing could be checked: the password does not open the .p12 file."
