"""Which certificate is the person's: a mailbox certificate that claims cA=TRUE, and input that
holds only CA certificates."""
from __future__ import annotations

from .builders import diagnose_built, make_chain, make_intermediate, make_leaf, make_root, name
from .test_checks_chain import finding


def test_a_mailbox_certificate_with_ca_true_is_an_error_and_still_checked():
    chain = make_chain()
    leaf = make_leaf(issuer=chain.intermediate, email="alice@example.com", ca=True,
                     key_usage={"digital_signature"})
    report = diagnose_built(leaf, chain.intermediate, anchors=[chain.root], email="bob@example.com")
    assert finding(report, "certificate.mailbox_is_ca").severity.value == "error"
    assert report.status == "fail"
    # The rest is still checked as the person's certificate: its address and its key usage.
    assert "identity.email_mismatch" in report.codes
    assert "usage.cannot_encrypt" in report.codes  # digitalSignature only: no keyEncipherment


def test_an_ordinary_mailbox_certificate_is_not_called_a_ca():
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "certificate.mailbox_is_ca" not in report.codes


def test_only_ca_certificates_never_work_for_smime_and_say_what_to_paste():
    root = make_root()
    intermediate = make_intermediate(issuer=root)
    report = diagnose_built(intermediate, anchors=[root])
    only = finding(report, "input.only_ca_certificates")
    assert "no person's certificate" in only.explanation
    assert "works for S/MIME" not in report.summary
    assert "Only CA certificates were given" in report.summary
    assert "Paste your own certificate" in report.summary
    assert "certificate.mailbox_is_ca" not in report.codes


def test_a_leaf_with_its_chain_is_not_only_ca_certificates():
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "input.only_ca_certificates" not in report.codes


def test_a_ca_with_an_address_only_in_its_subject_is_still_a_ca():
    root = make_root()
    intermediate = make_intermediate(issuer=root, subject=name("Old CA", email="ca@example.com"))
    report = diagnose_built(intermediate, anchors=[root])
    assert "certificate.mailbox_is_ca" not in report.codes
    assert "input.only_ca_certificates" in report.codes
