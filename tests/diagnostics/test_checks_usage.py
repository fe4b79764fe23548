"""usage.* findings and the capabilities of the report."""
from __future__ import annotations

from .builders import (
    ANY_EKU,
    CLIENT_AUTH,
    EMAIL_PROTECTION,
    diagnose_built,
    ec_key,
    ed25519_key,
    make_leaf,
    make_root,
)
from .test_checks_chain import finding


def leaf_report(**options):
    root = make_root()
    return diagnose_built(make_leaf(issuer=root, **options), anchors=[root])


def test_it_flags_a_leaf_whose_eku_excludes_email():
    report = leaf_report(eku=(CLIENT_AUTH,))
    assert "clientAuth" in finding(report, "usage.not_for_email").explanation
    assert report.capabilities == {"sign": False, "encrypt": False}


def test_it_accepts_a_leaf_with_email_protection_or_no_eku():
    for eku in ((EMAIL_PROTECTION, CLIENT_AUTH), (EMAIL_PROTECTION, ANY_EKU), None):
        assert "usage.not_for_email" not in leaf_report(eku=eku).codes, eku


def test_any_eku_alone_does_not_make_a_leaf_an_email_certificate():
    assert "usage.not_for_email" in leaf_report(eku=(ANY_EKU,)).codes


def test_it_flags_a_key_that_cannot_sign():
    report = leaf_report(key_usage={"key_encipherment"})
    assert finding(report, "usage.cannot_sign").severity.value == "warning"
    assert report.capabilities == {"sign": False, "encrypt": True}


def test_non_repudiation_alone_is_enough_to_sign():
    assert "usage.cannot_sign" not in leaf_report(key_usage={"content_commitment"}).codes


def test_it_flags_an_rsa_key_without_key_encipherment():
    report = leaf_report(key_usage={"digital_signature"})
    assert "keyEncipherment" in finding(report, "usage.cannot_encrypt").explanation
    assert report.capabilities == {"sign": True, "encrypt": False}


def test_it_flags_an_ec_key_without_key_agreement():
    report = leaf_report(key=ec_key(), key_usage={"digital_signature"})
    assert "keyAgreement" in finding(report, "usage.cannot_encrypt").explanation


def test_it_accepts_an_ec_key_with_key_agreement_for_encryption():
    report = leaf_report(key=ec_key())
    assert "usage.cannot_encrypt" not in report.codes
    assert report.capabilities == {"sign": True, "encrypt": True}


def test_an_eddsa_key_can_never_receive_encrypted_mail():
    report = leaf_report(key=ed25519_key())
    assert "Ed25519" in finding(report, "usage.cannot_encrypt").explanation


def test_it_accepts_an_rsa_dual_use_certificate():
    report = leaf_report()
    assert not {"usage.cannot_encrypt", "usage.cannot_sign", "usage.not_for_email"} & set(report.codes)
