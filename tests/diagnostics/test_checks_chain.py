"""Chain findings: each code has a certificate set that raises it and one that must not."""
from __future__ import annotations

import datetime as dt

from smimecenter.diagnostics import diagnose

from .builders import (
    ANY_EKU,
    EMAIL_PROTECTION,
    NOW,
    SERVER_AUTH,
    diagnose_built,
    make_certificate,
    make_chain,
    make_intermediate,
    make_leaf,
    make_root,
    next_rsa_key,
)


def finding(report, code):
    matches = [f for f in report.findings if f.code == code]
    assert matches, f"{code} not in {report.codes}"
    return matches[0]


def test_it_says_which_root_and_store_trusted_the_chain():
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    trusted = finding(report, "chain.trusted")
    assert trusted.severity.value == "info"
    assert "Example Root CA" in trusted.explanation and "Extra trust anchors" in trusted.explanation
    assert report.trust["trusted"] is True and report.trust["store"] == "Extra trust anchors"
    assert report.status == "pass"


def test_a_root_given_to_the_check_trusts_only_where_it_is_installed():
    chain = make_chain()
    given = finding(diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root]), "chain.trusted")
    assert "only on devices where that root is installed" in given.explanation
    assert "root store" not in given.explanation

    public = finding(diagnose_built(chain.leaf, chain.intermediate, public_anchors=[chain.root]), "chain.trusted")
    assert "which is in Mozilla email roots" in public.explanation
    assert "Mail clients that use this root store will trust it for email" in public.explanation
    assert "only on devices" not in public.explanation


def test_it_does_not_call_an_unanchored_chain_trusted():
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, chain.root)
    assert "chain.trusted" not in report.codes
    assert report.trust["trusted"] is False


def test_it_names_the_missing_intermediate_and_where_to_get_it():
    chain = make_chain(aia_ca_issuers="http://ca.example.net/issuing-ca.crt")
    report = diagnose_built(chain.leaf, anchors=[chain.root])
    missing = finding(report, "chain.missing_intermediate")
    assert "Example S/MIME Issuing CA" in missing.explanation
    assert "http://ca.example.net/issuing-ca.crt" in missing.explanation
    assert missing.certificate == chain.leaf.sha256
    assert report.status == "fail"


def test_it_does_not_report_a_missing_intermediate_when_it_was_supplied():
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "chain.missing_intermediate" not in report.codes


def test_it_flags_a_root_nobody_trusts():
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, chain.root)
    untrusted = finding(report, "chain.untrusted_root")
    assert untrusted.certificate == chain.root.sha256
    assert "Mozilla email roots" in untrusted.explanation


def test_it_does_not_flag_a_root_given_as_a_trust_anchor():
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, chain.root, anchors=[chain.root])
    assert "chain.untrusted_root" not in report.codes


def test_it_flags_a_self_signed_leaf():
    leaf = make_leaf(issuer=None)
    report = diagnose_built(leaf)
    assert finding(report, "chain.self_signed_leaf").certificate == leaf.sha256
    assert "chain.untrusted_root" not in report.codes


def test_it_accepts_a_self_signed_leaf_that_the_person_trusts_explicitly():
    leaf = make_leaf(issuer=None)
    report = diagnose_built(leaf, anchors=[leaf])
    assert "chain.self_signed_leaf" not in report.codes
    assert report.trust["trusted"] is True


def test_it_flags_a_signature_the_issuer_did_not_make():
    chain = make_chain()
    forged = make_leaf(issuer=chain.intermediate, signing_key=next_rsa_key())
    report = diagnose_built(forged, chain.intermediate, anchors=[chain.root])
    bad = finding(report, "chain.bad_signature")
    assert bad.certificate == forged.sha256
    assert report.trust["trusted"] is False


def test_it_accepts_a_genuine_signature():
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "chain.bad_signature" not in report.codes


def test_it_flags_an_issuer_whose_basic_constraints_deny_being_a_ca():
    root = make_root()
    not_ca = make_intermediate(issuer=root, ca=False)
    leaf = make_leaf(issuer=not_ca)
    report = diagnose_built(leaf, not_ca, anchors=[root])
    flagged = finding(report, "chain.issuer_not_ca")
    assert flagged.certificate == not_ca.sha256
    assert "basicConstraints" in flagged.explanation


def test_it_flags_an_issuer_without_key_cert_sign():
    root = make_root()
    inter = make_intermediate(issuer=root, key_usage={"digital_signature", "crl_sign"})
    leaf = make_leaf(issuer=inter)
    report = diagnose_built(leaf, inter, anchors=[root])
    assert "key usage" in finding(report, "chain.issuer_not_ca").explanation


def test_it_accepts_an_issuer_that_is_a_ca():
    chain = make_chain()
    assert "chain.issuer_not_ca" not in diagnose_built(
        chain.leaf, chain.intermediate, anchors=[chain.root]).codes


def _two_level_chain(root_path_length: int):
    root = make_root(path_length=root_path_length)
    upper = make_intermediate(issuer=root, common_name="Upper CA")
    lower = make_intermediate(issuer=upper, common_name="Lower CA")
    leaf = make_leaf(issuer=lower)
    return root, upper, lower, leaf


def test_it_flags_a_chain_longer_than_the_path_length_constraint():
    root, upper, lower, leaf = _two_level_chain(0)
    report = diagnose_built(leaf, lower, upper, anchors=[root])
    exceeded = finding(report, "chain.path_length_exceeded")
    assert exceeded.certificate == root.sha256
    assert "below it to 0" in exceeded.explanation and "has 2" in exceeded.explanation


def test_it_accepts_a_chain_within_the_path_length_constraint():
    root, upper, lower, leaf = _two_level_chain(2)
    report = diagnose_built(leaf, lower, upper, anchors=[root])
    assert "chain.path_length_exceeded" not in report.codes
    assert report.trust["trusted"] is True


def test_it_flags_an_intermediate_restricted_to_tls():
    chain = make_chain(intermediate_options={"eku": (SERVER_AUTH,)})
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    flagged = finding(report, "chain.intermediate_not_for_email")
    assert flagged.certificate == chain.intermediate.sha256
    assert "serverAuth" in flagged.explanation


def test_it_flags_an_intermediate_whose_only_eku_is_any_extended_key_usage():
    # S/MIME BR 7.1.2.2 (g) forbids it; OpenSSL and NSS refuse the chain.
    chain = make_chain(intermediate_options={"eku": (ANY_EKU,)})
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    flagged = finding(report, "chain.intermediate_not_for_email")
    assert "anyExtendedKeyUsage" in flagged.explanation


def test_it_accepts_intermediates_without_eku_or_with_email_protection():
    for eku in (None, (EMAIL_PROTECTION,), (SERVER_AUTH, EMAIL_PROTECTION),
                (ANY_EKU, EMAIL_PROTECTION)):
        chain = make_chain(intermediate_options={"eku": eku})
        report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
        assert "chain.intermediate_not_for_email" not in report.codes, eku


def test_it_flags_an_address_outside_the_permitted_domains():
    chain = make_chain(email="alice@other.org",
                       intermediate_options={"permitted_emails": ("example.com",)})
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    violation = finding(report, "chain.name_constraints_violation")
    assert "alice@other.org" in violation.explanation
    assert violation.certificate == chain.leaf.sha256


def test_it_flags_an_excluded_address():
    chain = make_chain(email="eve@example.com",
                       intermediate_options={"excluded_emails": ("eve@example.com",)})
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "chain.name_constraints_violation" in report.codes


def test_it_accepts_an_address_within_the_permitted_domains():
    chain = make_chain(email="alice@Example.COM",
                       intermediate_options={"permitted_emails": ("example.com",),
                                             "excluded_emails": (".example.com",)})
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "chain.name_constraints_violation" not in report.codes


def test_it_flags_a_bundle_listed_root_first():
    chain = make_chain()
    report = diagnose_built(chain.intermediate, chain.leaf, anchors=[chain.root])
    assert finding(report, "chain.wrong_order").severity.value == "warning"


def test_it_accepts_a_bundle_listed_leaf_first():
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, chain.root, anchors=[chain.root])
    assert "chain.wrong_order" not in report.codes


def test_it_notes_a_certificate_supplied_twice():
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, chain.intermediate, anchors=[chain.root])
    duplicate = finding(report, "chain.duplicate")
    assert duplicate.certificate == chain.intermediate.sha256 and "2 times" in duplicate.explanation


def test_it_does_not_call_distinct_certificates_duplicates():
    chain = make_chain()
    assert "chain.duplicate" not in diagnose_built(chain.leaf, chain.intermediate).codes


def test_it_flags_a_certificate_that_has_nothing_to_do_with_the_chain():
    chain = make_chain()
    stranger = make_root(common_name="Somebody Else's Root")
    report = diagnose_built(chain.leaf, chain.intermediate, stranger, anchors=[chain.root])
    unrelated = finding(report, "chain.unrelated_certificate")
    assert "Somebody Else's Root" in unrelated.explanation
    assert unrelated.certificate == stranger.sha256


def test_it_does_not_flag_members_of_the_chain_as_unrelated():
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, chain.root, anchors=[chain.root])
    assert "chain.unrelated_certificate" not in report.codes


def test_it_notes_an_included_trusted_root():
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, chain.root, anchors=[chain.root])
    assert finding(report, "chain.root_included").severity.value == "info"
    assert report.status == "pass"


def test_it_does_not_note_a_root_that_was_not_supplied():
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "chain.root_included" not in report.codes


def test_extra_anchors_given_as_pem_bytes_are_named_extra_trust_anchors():
    chain = make_chain()
    report = diagnose([chain.supplied_pem], trust=[chain.root_pem])
    assert report.trust["store"] == "Extra trust anchors"
    assert report.trust["stores_consulted"] == ["Mozilla email roots", "Extra trust anchors"]


def test_an_expired_intermediate_breaks_trust():
    root = make_root()
    inter = make_intermediate(issuer=root, not_after=NOW - dt.timedelta(days=2))
    leaf = make_leaf(issuer=inter)
    report = diagnose_built(leaf, inter, anchors=[root])
    assert report.trust["trusted"] is False
    assert "validity.expired" in report.codes


def test_a_same_named_root_with_another_key_shows_as_a_bad_signature():
    chain = make_chain()
    impostor_key = next_rsa_key()
    impostor = make_certificate(subject=chain.root.subject, key=impostor_key, ca=True,
                                key_usage={"key_cert_sign"})
    report = diagnose_built(chain.leaf, chain.intermediate, impostor)
    assert finding(report, "chain.bad_signature").certificate == chain.intermediate.sha256


def test_an_included_root_nobody_trusts_is_not_called_trusted():
    # The untrusted root is chain.untrusted_root's to explain; "trusted root ... changes nothing"
    # beside it would contradict the verdict.
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, chain.root)
    assert "chain.untrusted_root" in report.codes
    assert "chain.root_included" not in report.codes
