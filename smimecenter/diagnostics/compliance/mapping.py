"""Plain English for the pkilint codes people meet most, with the S/MIME BR section each enforces.

pkilint's own code is kept as the finding's code; this table adds our title, fix and citation. Codes
not in the table keep pkilint's code and message under a generic title.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Explained", "EXPLAINED", "explain", "severity_of"]

PROFILE = "/learn/certificate-exists-but-unusable/#key-usage"
ASK_CA = "Ask your certificate authority to reissue the certificate; you cannot change it yourself."


@dataclass(frozen=True)
class Explained:
    title: str
    fix: str
    section: str  # CA/B Forum S/MIME BR section
    learn_more: str = "/learn/what-is-a-certificate-authority/#public-vs-private-ca"


def _e(title: str, fix: str, section: str, learn_more: str | None = None) -> Explained:
    return Explained(title, fix, section, learn_more or "/learn/what-is-a-certificate-authority/#public-vs-private-ca")


EXPLAINED: dict[str, Explained] = {
    "cabf.smime.certificate_policies_extension_missing": _e(
        "No certificate policies: the certificate does not say which S/MIME profile it follows",
        ASK_CA, "7.1.2.3 (a)"),
    "cabf.smime.no_required_reserved_policy_oid": _e(
        "No S/MIME Baseline Requirements policy identifier",
        "Publicly-trusted S/MIME certificates must name their type with a 2.23.140.1.5 policy. " + ASK_CA,
        "7.1.2.3 (a); 7.1.6.1"),
    "cabf.smime.multiple_reserved_policy_oids": _e(
        "More than one S/MIME type is claimed", ASK_CA, "7.1.2.3 (a)"),
    "cabf.smime.anypolicy_present": _e(
        "The certificate claims \u201cany policy\u201d, which a subscriber certificate may not", ASK_CA,
        "7.1.2.3 (a); 7.1.6.4"),
    "cabf.smime.crldp_extension_missing": _e(
        "No CRL address: nobody can check whether the certificate was revoked",
        ASK_CA, "7.1.2.3 (b)", "/learn/certificate-exists-but-unusable/#revocation"),
    "cabf.no_http_crldp_uri": _e(
        "The CRL address is not an http:// URL", ASK_CA, "7.1.2.3 (b)",
        "/learn/certificate-exists-but-unusable/#revocation"),
    "cabf.aia_ca_issuers_missing": _e(
        "The certificate does not say where to download its issuer",
        "Without it some mail clients cannot fetch a missing intermediate. " + ASK_CA, "7.1.2.3 (c)",
        "/learn/why-trust-fails/#missing-intermediate"),
    "cabf.aia_extension_missing": _e(
        "No Authority Information Access: no issuer download or OCSP address", ASK_CA, "7.1.2.3 (c)",
        "/learn/why-trust-fails/#missing-intermediate"),
    "cabf.smime.key_usage_extension_missing": _e(
        "No key usage extension", "Apple Mail and others may refuse the certificate. " + ASK_CA, "7.1.2.3 (e)",
        PROFILE),
    "cabf.smime.ku_extension_not_critical": _e(
        "The key usage extension should be marked critical", ASK_CA, "7.1.2.3 (e)", PROFILE),
    "cabf.smime.prohibited_ku_present": _e(
        "The key usage allows something an S/MIME certificate must not (for example certificate signing)",
        ASK_CA, "7.1.2.3 (e)", PROFILE),
    "cabf.smime.unknown_certificate_key_usage_type": _e(
        "The key usage fits neither a signing, an encryption nor a dual-use certificate", ASK_CA,
        "7.1.2.3 (e)", PROFILE),
    "cabf.smime.extended_key_usage_extension_missing": _e(
        "No extended key usage: the certificate does not say it is for email", ASK_CA, "7.1.2.3 (f)",
        "/learn/certificate-exists-but-unusable/#extended-key-usage"),
    "cabf.smime.emailprotection_eku_missing": _e(
        "Email protection is missing from the extended key usage",
        "Mail clients refuse it for signing and encryption. " + ASK_CA, "7.1.2.3 (f)",
        "/learn/certificate-exists-but-unusable/#extended-key-usage"),
    "cabf.smime.prohibited_eku_present": _e(
        "The extended key usage includes a purpose this S/MIME type forbids (for example TLS server "
        "authentication, or anything besides email in the strict generation)", ASK_CA, "7.1.2.3 (f)",
        "/learn/certificate-exists-but-unusable/#extended-key-usage"),
    "cabf.smime.san_extension_missing": _e(
        "No subjectAltName: the email address is not where mail clients look for it", ASK_CA,
        "7.1.2.3 (h); 7.1.4.2.1", "/learn/subjectaltname-email-identity/#email-only-in-subject"),
    "cabf.smime.san_does_not_contain_email_address": _e(
        "The subjectAltName holds no email address", ASK_CA, "7.1.2.3 (h); 7.1.4.2.1",
        "/learn/subjectaltname-email-identity/#no-email"),
    "cabf.smime.email_address_in_attribute_not_in_san": _e(
        "An email address in the subject is missing from subjectAltName", ASK_CA, "7.1.4.2.2",
        "/learn/subjectaltname-email-identity/#email-only-in-subject"),
    "cabf.smime.common_name_value_unknown_source": _e(
        "The common name is neither the email address nor a validated name", ASK_CA, "7.1.4.2.2",
        "/learn/subjectaltname-email-identity/#email-mismatch"),
    "cabf.smime.prohibited_attribute": _e(
        "The subject holds a field this S/MIME type does not allow", ASK_CA, "7.1.4.2.2"),
    "cabf.smime.missing_required_attribute": _e(
        "The subject lacks a field this S/MIME type requires (for example the organization name)", ASK_CA,
        "7.1.4.2.2"),
    "cabf.smime.certificate_validity_period_exceeds_825_days": _e(
        "The certificate is valid for longer than the 825 days allowed", ASK_CA, "6.3.2"),
    "cabf.smime.certificate_validity_period_exceeds_1185_days": _e(
        "The certificate is valid for longer than the 1185 days allowed", ASK_CA, "6.3.2"),
    "cabf.smime.legacy_generation_certificate_issued_after_prohibition": _e(
        "A legacy-generation certificate issued after 15 July 2025, when legacy issuance ended",
        "It still works in mail clients, but the CA broke the rules; expect it to be revoked and replaced.",
        "1.2.1; 7.1.6.1"),
    "cabf.smime.prohibited_signature_algorithm_encoding": _e(
        "The certificate is signed with an algorithm (or encoding) the rules do not allow", ASK_CA, "7.1.3.2",
        "/learn/rsa-vs-ecc/#signature-algorithms"),
    "cabf.smime.prohibited_spki_algorithm_encoding": _e(
        "The public key is of a kind (or encoding) the rules do not allow", ASK_CA, "6.1.5; 7.1.3.1",
        "/learn/rsa-vs-ecc/#key-sizes"),
    "cabf.rsa_modulus_invalid_length": _e(
        "The RSA key is too short or its size is not a multiple of 8", ASK_CA, "6.1.5",
        "/learn/rsa-vs-ecc/#key-sizes"),
    "cabf.smime.is_ca_certificate": _e(
        "The certificate says it is a certificate authority", ASK_CA, "7.1.2.3 (d)"),
    "cabf.authority_key_identifier_has_issuer_cert": _e(
        "The authority key identifier names the issuer's certificate, which the rules forbid", ASK_CA,
        "7.1.2.3 (g)"),
    "pkix.subject_key_identifier_method_1_identified": _e(
        "The key identifier is the SHA-1 hash of the public key (RFC 5280 method 1)",
        "Nothing to do: this is a note, not a problem.", "7.1.2.3 (n)"),
}

# pkilint severities mapped to ours: a broken MUST is an error, a SHOULD a warning, notes are info.
_SEVERITIES = {"FATAL": "error", "ERROR": "error", "WARNING": "warning", "NOTICE": "info", "INFO": "info"}


def severity_of(pkilint_severity: str) -> str | None:
    """Our severity, or None for pkilint's DEBUG findings, which are not shown."""
    return _SEVERITIES.get(pkilint_severity)


def explain(code: str) -> Explained | None:
    if code in EXPLAINED:
        return EXPLAINED[code]
    if code.startswith("cabf.smime.certificate_validity_period_exceeds_"):
        days = code.rsplit("_", 2)[-2]
        return _e(f"The certificate is valid for longer than the {days} days allowed", ASK_CA, "6.3.2")
    return None
