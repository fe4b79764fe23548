"""RFC 5280 profile rules for the issuing CA (section 4): each code has a certificate set that
raises it and one that must not. The x509-limbo cases of the same rules run in test_path_suites."""
from __future__ import annotations

import warnings

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import AuthorityInformationAccessOID

from .builders import (
    EMAIL_PROTECTION,
    Issued,
    der,
    diagnose_built,
    make_chain,
    make_intermediate,
    make_certificate,
    make_leaf,
    make_root,
)


def codes_for(report, code):
    return [f for f in report.findings if f.code == code]


def reissued_with_serial(issued: Issued, serial: int, *, signer: Issued) -> x509.Certificate:
    """The certificate with another serial number, signed again by `signer`: cryptography's
    builder refuses serials that are not positive or longer than 20 octets, as it should."""
    parsed = asn1_x509.Certificate.load(der(issued))
    tbs = parsed["tbs_certificate"]
    tbs["serial_number"] = serial
    to_sign = tbs.dump(force=True)
    signature = signer.key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
    rebuilt = asn1_x509.Certificate({"tbs_certificate": tbs,
                                     "signature_algorithm": parsed["signature_algorithm"],
                                     "signature_value": signature})
    with warnings.catch_warnings():  # a negative serial loads with a deprecation warning
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return x509.load_der_x509_certificate(rebuilt.dump(force=True))


# --- a chain issued as RFC 5280 asks raises none of them -----------------------------------------

PROFILE_CODES = (
    "certificate.serial_not_positive", "certificate.serial_too_long",
    "certificate.ca_subject_empty", "certificate.subject_alt_name_not_critical",
    "certificate.authority_key_id_missing", "certificate.authority_key_id_critical",
    "certificate.subject_key_id_missing", "certificate.key_cert_sign_without_ca",
    "certificate.name_constraints_in_end_entity", "certificate.name_constraints_not_critical",
    "certificate.policy_constraints_not_critical", "certificate.authority_info_access_critical",
)


def test_a_chain_issued_by_the_rules_raises_no_profile_finding():
    chain = make_chain(root_options={"permitted_emails": ("example.com",)})
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert report.status == "pass"
    assert not set(PROFILE_CODES) & set(report.codes)


def test_a_public_root_is_not_held_to_the_profile():
    # A root of the public store is trust anchor information a root program accepted as it is.
    root = make_root(subject_key_id=False)
    intermediate = make_intermediate(issuer=root)
    leaf = make_leaf(issuer=intermediate)
    report = diagnose_built(leaf, intermediate, public_anchors=[root])
    assert report.trust["trusted"] is True
    assert "certificate.subject_key_id_missing" not in report.codes
    private = diagnose_built(leaf, intermediate, anchors=[root])
    [finding] = codes_for(private, "certificate.subject_key_id_missing")
    assert finding.certificate == root.sha256


# --- serial numbers (4.1.2.2) ---------------------------------------------------------------------

@pytest.mark.parametrize("serial", [0, -5])
def test_a_serial_number_that_is_not_positive_is_a_warning(serial):
    chain = make_chain()
    leaf = reissued_with_serial(chain.leaf, serial, signer=chain.intermediate)
    report = diagnose_built(leaf, chain.intermediate, anchors=[chain.root])
    [finding] = codes_for(report, "certificate.serial_not_positive")
    assert finding.severity.value == "warning" and str(serial) in finding.explanation
    assert report.trust["trusted"] is True


def test_a_serial_number_of_22_bytes_is_a_warning():
    chain = make_chain()
    leaf = reissued_with_serial(chain.leaf, int.from_bytes(b"\x5a" * 22, "big"), signer=chain.intermediate)
    report = diagnose_built(leaf, chain.intermediate, anchors=[chain.root])
    [finding] = codes_for(report, "certificate.serial_too_long")
    assert finding.severity.value == "warning" and "22 bytes" in finding.explanation
    assert finding.reference == "RFC 5280 section 4.1.2.2"


def test_a_serial_number_of_20_bytes_with_the_high_bit_set_is_fine():
    # 20 octets of value encode as 21 with DER's sign octet; the value is what the rule limits.
    chain = make_chain()
    leaf = reissued_with_serial(chain.leaf, int.from_bytes(b"\xfa" * 20, "big"), signer=chain.intermediate)
    report = diagnose_built(leaf, chain.intermediate, anchors=[chain.root])
    assert "certificate.serial_too_long" not in report.codes
    assert "certificate.serial_not_positive" not in report.codes


# --- key identifiers (4.2.1.1, 4.2.1.2) -------------------------------------------------------------

def test_a_leaf_without_an_authority_key_identifier_is_a_warning():
    chain = make_chain(authority_key_id=False)
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    [finding] = codes_for(report, "certificate.authority_key_id_missing")
    assert finding.severity.value == "warning" and finding.certificate == chain.leaf.sha256
    assert report.status == "warn"


def test_an_intermediate_without_an_authority_key_identifier_is_a_warning():
    chain = make_chain(intermediate_options={"authority_key_id": False})
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    [finding] = codes_for(report, "certificate.authority_key_id_missing")
    assert finding.certificate == chain.intermediate.sha256


def test_a_self_signed_root_may_omit_the_authority_key_identifier():
    chain = make_chain()
    assert not any(isinstance(e.value, x509.AuthorityKeyIdentifier)
                   for e in chain.root.certificate.extensions)
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "certificate.authority_key_id_missing" not in report.codes


def test_a_cross_signed_root_needs_an_authority_key_identifier():
    # Issued by another root: not self-signed, so the exception of 4.2.1.1 does not apply.
    cross_signer = make_root(common_name="Old Root CA")
    root = make_intermediate(issuer=cross_signer, common_name="Example Root CA", eku=None,
                             authority_key_id=False)
    leaf = make_leaf(issuer=root)
    report = diagnose_built(leaf, anchors=[root])
    [finding] = codes_for(report, "certificate.authority_key_id_missing")
    assert finding.certificate == root.sha256


def test_an_intermediate_without_a_subject_key_identifier_is_a_warning():
    chain = make_chain(intermediate_options={"subject_key_id": False})
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    [finding] = codes_for(report, "certificate.subject_key_id_missing")
    assert finding.severity.value == "warning" and finding.certificate == chain.intermediate.sha256
    assert report.trust["trusted"] is True


def test_a_leaf_without_a_subject_key_identifier_is_not_named():
    # 4.2.1.2 only says SHOULD for end-entity certificates.
    chain = make_chain(subject_key_id=False)
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "certificate.subject_key_id_missing" not in report.codes


# --- criticality (4.2.1.1, 4.2.1.6, 4.2.1.10, 4.2.1.11, 4.2.2.1) ------------------------------------

def test_a_critical_authority_key_identifier_is_an_error():
    root = make_root()
    aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(root.certificate.public_key())
    leaf = make_leaf(issuer=root, authority_key_id=False, extra_extensions=[(aki, True)])
    report = diagnose_built(leaf, anchors=[root])
    [finding] = codes_for(report, "certificate.authority_key_id_critical")
    assert finding.severity.value == "error" and "OpenSSL" in finding.explanation
    assert report.status == "fail"


def test_a_non_critical_authority_key_identifier_is_fine():
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "certificate.authority_key_id_critical" not in report.codes


def aia(critical: bool) -> tuple[x509.AuthorityInformationAccess, bool]:
    return (x509.AuthorityInformationAccess([x509.AccessDescription(
        AuthorityInformationAccessOID.CA_ISSUERS,
        x509.UniformResourceIdentifier("http://certs.example.com/ca.der"))]), critical)


def test_a_critical_authority_info_access_is_an_error():
    chain = make_chain(aia_ca_issuers=None, extra_extensions=[aia(True)])
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    [finding] = codes_for(report, "certificate.authority_info_access_critical")
    assert finding.severity.value == "error" and finding.certificate == chain.leaf.sha256
    assert "4.2.2.1" in finding.reference


def test_a_non_critical_authority_info_access_is_fine():
    chain = make_chain(aia_ca_issuers=None, extra_extensions=[aia(False)])
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "certificate.authority_info_access_critical" not in report.codes


def name_constraints() -> x509.NameConstraints:
    return x509.NameConstraints(permitted_subtrees=[x509.RFC822Name("example.com")],
                                excluded_subtrees=None)


def test_non_critical_name_constraints_in_a_ca_are_a_warning_and_still_apply():
    chain = make_chain(intermediate_options={"extra_extensions": [(name_constraints(), False)]},
                       email="alice@example.org")
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    [finding] = codes_for(report, "certificate.name_constraints_not_critical")
    assert finding.severity.value == "warning" and finding.certificate == chain.intermediate.sha256
    assert "chain.name_constraints_violation" in report.codes


def test_critical_name_constraints_in_a_ca_are_fine():
    chain = make_chain(intermediate_options={"extra_extensions": [(name_constraints(), True)]})
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "certificate.name_constraints_not_critical" not in report.codes
    assert report.status == "pass"


def policy_constraints() -> x509.PolicyConstraints:
    return x509.PolicyConstraints(require_explicit_policy=None, inhibit_policy_mapping=0)


def test_non_critical_policy_constraints_in_a_ca_are_a_warning():
    chain = make_chain(intermediate_options={"extra_extensions": [(policy_constraints(), False)]})
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    [finding] = codes_for(report, "certificate.policy_constraints_not_critical")
    assert finding.severity.value == "warning" and "4.2.1.11" in finding.reference


def test_critical_policy_constraints_in_a_ca_are_fine():
    chain = make_chain(intermediate_options={"extra_extensions": [(policy_constraints(), True)]})
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "certificate.policy_constraints_not_critical" not in report.codes


def empty_subject_leaf(issuer: Issued, *, critical: bool) -> Issued:
    # make_certificate itself: the usual shapes fill in a subject when given an empty one.
    san = x509.SubjectAlternativeName([x509.RFC822Name("alice@example.com")])
    return make_certificate(subject=x509.Name([]), issuer=issuer, eku=(EMAIL_PROTECTION,),
                            key_usage={"digital_signature", "key_encipherment"},
                            extra_extensions=[(san, critical)])


def test_an_empty_subject_with_a_non_critical_alternative_name_is_a_warning():
    chain = make_chain()
    leaf = empty_subject_leaf(chain.intermediate, critical=False)
    report = diagnose_built(leaf, chain.intermediate, anchors=[chain.root])
    [finding] = codes_for(report, "certificate.subject_alt_name_not_critical")
    assert finding.severity.value == "warning" and "not marked critical" in finding.explanation


def test_an_empty_subject_with_a_critical_alternative_name_is_fine():
    chain = make_chain()
    leaf = empty_subject_leaf(chain.intermediate, critical=True)
    report = diagnose_built(leaf, chain.intermediate, anchors=[chain.root])
    assert "certificate.subject_alt_name_not_critical" not in report.codes
    assert report.status == "pass"


# --- what only a CA may carry (4.1.2.6, 4.2.1.9, 4.2.1.10) -------------------------------------------

def test_a_ca_with_an_empty_subject_is_a_warning():
    root = make_root()
    intermediate = make_certificate(subject=x509.Name([]), issuer=root, ca=True,
                                    key_usage={"key_cert_sign", "crl_sign"}, eku=(EMAIL_PROTECTION,))
    leaf = make_leaf(issuer=intermediate)
    report = diagnose_built(leaf, intermediate, anchors=[root])
    [finding] = codes_for(report, "certificate.ca_subject_empty")
    assert finding.certificate == intermediate.sha256 and finding.severity.value == "warning"
    assert "certificate.subject_alt_name_not_critical" not in report.codes


def test_a_ca_with_a_subject_is_fine():
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "certificate.ca_subject_empty" not in report.codes


@pytest.mark.parametrize("critical", [True, False])
def test_name_constraints_in_an_end_entity_certificate_are_a_warning(critical):
    chain = make_chain(extra_extensions=[(name_constraints(), critical)])
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    [finding] = codes_for(report, "certificate.name_constraints_in_end_entity")
    assert finding.certificate == chain.leaf.sha256 and finding.severity.value == "warning"
    assert "certificate.name_constraints_not_critical" not in report.codes


def test_key_cert_sign_in_a_person_s_certificate_is_an_error():
    chain = make_chain(key_usage={"digital_signature", "key_encipherment", "key_cert_sign"})
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    [finding] = codes_for(report, "certificate.key_cert_sign_without_ca")
    assert finding.severity.value == "error" and "Thunderbird" in finding.explanation
    assert "cA=FALSE" in finding.explanation and report.status == "fail"


def test_key_cert_sign_in_a_ca_is_fine():
    chain = make_chain()
    assert chain.intermediate.certificate.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "certificate.key_cert_sign_without_ca" not in report.codes


def test_an_issuer_that_is_not_a_ca_is_named_once():
    # chain.issuer_not_ca already refuses it (section 6.1.4 (k)); no second finding.
    root = make_root()
    fake = make_intermediate(issuer=root, ca=False, eku=None)
    leaf = make_leaf(issuer=fake)
    report = diagnose_built(leaf, fake, anchors=[root])
    assert "chain.issuer_not_ca" in report.codes
    assert "certificate.key_cert_sign_without_ca" not in report.codes


def test_every_rule_cites_its_rfc_5280_section():
    from smimecenter.diagnostics.checks import all_rules

    rules = all_rules()
    for code in PROFILE_CODES:
        assert rules[code].reference.startswith("RFC 5280 section"), code


def test_a_malformed_authority_key_identifier_is_not_called_missing():
    # The extension is there but cannot be decoded: it is reported as malformed, not as absent.
    chain = make_chain(authority_key_id=False, extra_extensions=[
        (x509.UnrecognizedExtension(x509.OID_AUTHORITY_KEY_IDENTIFIER, b"\x04\x02no"), False)])
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    leaf = next(c for c in report.to_dict()["certificates"] if c["role"] == "leaf")
    assert any("authorityKeyIdentifier" in problem for problem in leaf["problems"])
    assert "certificate.authority_key_id_missing" not in report.codes


def test_a_ca_whose_basic_constraints_cannot_be_read_is_not_called_an_end_entity():
    # keyCertSign beside a malformed basicConstraints: whether it is a CA is unknown, so neither
    # CA-only rule speaks (the malformed extension is reported by name).
    root = make_root()
    odd = make_intermediate(issuer=root, ca=None, extra_extensions=[
        (x509.UnrecognizedExtension(x509.OID_BASIC_CONSTRAINTS, b"\x01\x01"), True)])
    report = diagnose_built(odd, anchors=[root])
    assert "certificate.key_cert_sign_without_ca" not in report.codes
    assert "certificate.name_constraints_in_end_entity" not in report.codes
