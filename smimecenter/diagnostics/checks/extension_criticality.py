"""Extensions a CA must mark critical, or must not (RFC 5280 sections 4.2.1.1, 4.2.1.6, 4.2.1.10,
4.2.1.11, 4.2.2.1).

Where a mail client refuses the certificate for it (OpenSSL does not process a critical
authorityKeyIdentifier or authorityInfoAccess and rejects the certificate as having an
unhandled critical extension, RFC 5280 section 4.2), the finding is an error; where clients
still use the certificate it is the CA's fault, a warning.
"""
from __future__ import annotations

from collections.abc import Iterator

from cryptography import x509

from ..findings import Severity
from .context import CheckContext
from .profile_scope import profiled_certificates
from .registry import Observation, check, rule

AUTHORITY_KEY_ID_CRITICAL = rule(
    code="certificate.authority_key_id_critical", severity=Severity.ERROR,
    reference="RFC 5280 sections 4.2.1.1 and 4.2",
    learn_more="/learn/why-trust-fails/#broken-chain",
    title="A certificate marks its authority key identifier critical",
    explanation="{certificate} marks its authorityKeyIdentifier extension as critical, which RFC "
                "5280 forbids. OpenSSL, which several mail programs use, does not accept that "
                "extension as critical and refuses the certificate (\u201cunhandled critical "
                "extension\u201d); Thunderbird accepts it.",
    fix="Ask the certificate authority to reissue the certificate with the "
        "authorityKeyIdentifier extension marked non-critical.")
AUTHORITY_INFO_ACCESS_CRITICAL = rule(
    code="certificate.authority_info_access_critical", severity=Severity.ERROR,
    reference="RFC 5280 sections 4.2.2.1 and 4.2",
    learn_more="/learn/why-trust-fails/#broken-chain",
    title="A certificate marks its authority information access critical",
    explanation="{certificate} marks its authorityInfoAccess extension (where to find the "
                "issuer's certificate and revocation status) as critical, which RFC 5280 "
                "forbids. OpenSSL, which several mail programs use, refuses the certificate "
                "(\u201cunhandled critical extension\u201d); Thunderbird accepts it.",
    fix="Ask the certificate authority to reissue the certificate with the authorityInfoAccess "
        "extension marked non-critical.")
NAME_CONSTRAINTS_NOT_CRITICAL = rule(
    code="certificate.name_constraints_not_critical", severity=Severity.WARNING,
    reference="RFC 5280 section 4.2.1.10",
    learn_more="/learn/why-trust-fails/#broken-chain",
    title="A CA's name constraints are not marked critical",
    explanation="{certificate} limits the names it may certify, but does not mark its "
                "nameConstraints extension as critical, as RFC 5280 requires of a CA. Software "
                "that does not understand name constraints may then ignore them; the "
                "constraints were still applied here.",
    fix="Ask the certificate authority to reissue the CA certificate with the nameConstraints "
        "extension marked critical.")
POLICY_CONSTRAINTS_NOT_CRITICAL = rule(
    code="certificate.policy_constraints_not_critical", severity=Severity.WARNING,
    reference="RFC 5280 section 4.2.1.11",
    learn_more="/learn/why-trust-fails/#broken-chain",
    title="A CA's policy constraints are not marked critical",
    explanation="{certificate} constrains the certificate policies below it, but does not mark "
                "its policyConstraints extension as critical, as RFC 5280 requires. Software "
                "that does not process policies may then ignore it; the constraints were still "
                "applied here.",
    fix="Ask the certificate authority to reissue the CA certificate with the policyConstraints "
        "extension marked critical.")
SUBJECT_ALT_NAME_NOT_CRITICAL = rule(
    code="certificate.subject_alt_name_not_critical", severity=Severity.WARNING,
    reference="RFC 5280 sections 4.1.2.6 and 4.2.1.6",
    learn_more="/learn/subjectaltname-email-identity/#where-the-address-lives",
    title="A certificate with an empty subject does not mark its alternative names critical",
    explanation="{certificate} has an empty subject name, so its names are only in the "
                "subjectAltName extension, and RFC 5280 then requires that extension to be "
                "present and marked critical: {reason}. OpenSSL's strict mode refuses it; "
                "mail clients accept it.",
    fix="Ask the certificate authority to reissue the certificate with a critical "
        "subjectAltName, or with a subject name.")


@check
def extension_criticality(context: CheckContext) -> Iterator[Observation]:
    for certificate, info in profiled_certificates(context):
        # 4.2.1.1 and 4.2.2.1: "Conforming CAs MUST mark this extension as non-critical."
        if info.extension_is_critical(x509.AuthorityKeyIdentifier):
            yield AUTHORITY_KEY_ID_CRITICAL.observe(certificate)
        if info.extension_is_critical(x509.AuthorityInformationAccess):
            yield AUTHORITY_INFO_ACCESS_CRITICAL.observe(certificate)
        # 4.2.1.10 and 4.2.1.11: "Conforming CAs MUST mark this extension as critical." (In an
        # end-entity certificate name constraints are wrong altogether: ca_only_fields.py.)
        if info.is_ca:
            if (info.has_extension(x509.NameConstraints)
                    and not info.extension_is_critical(x509.NameConstraints)):
                yield NAME_CONSTRAINTS_NOT_CRITICAL.observe(certificate)
            if (info.has_extension(x509.PolicyConstraints)
                    and not info.extension_is_critical(x509.PolicyConstraints)):
                yield POLICY_CONSTRAINTS_NOT_CRITICAL.observe(certificate)
        # 4.1.2.6 and 4.2.1.6: "If the subject field contains an empty sequence, then the issuing
        # CA MUST include a subjectAltName extension that is marked as critical." (A CA may not
        # have an empty subject at all: ca_only_fields.py says that instead.)
        if not info.is_ca and info.names_readable and not info.subject_name.rdns:
            if not info.carries_extension(x509.SubjectAlternativeName):
                yield SUBJECT_ALT_NAME_NOT_CRITICAL.observe(
                    certificate, reason="it has no subjectAltName at all")
            elif not info.extension_is_critical(x509.SubjectAlternativeName):
                yield SUBJECT_ALT_NAME_NOT_CRITICAL.observe(
                    certificate, reason="its subjectAltName is not marked critical")
