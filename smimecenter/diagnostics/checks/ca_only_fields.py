"""What only a CA certificate may carry, and what it must (RFC 5280 sections 4.1.2.6, 4.2.1.3,
4.2.1.9, 4.2.1.10)."""
from __future__ import annotations

from collections.abc import Iterator

from cryptography import x509

from ..findings import Severity
from .context import CheckContext
from .profile_scope import profiled_certificates
from .registry import Observation, check, rule

CA_SUBJECT_EMPTY = rule(
    code="certificate.ca_subject_empty", severity=Severity.WARNING,
    reference="RFC 5280 section 4.1.2.6",
    learn_more="/learn/why-trust-fails/#how-chains-work",
    title="A CA certificate has an empty subject name",
    explanation="{certificate} is a CA certificate with an empty subject name. RFC 5280 requires "
                "a CA to have a name, because the certificates it issues name it as their "
                "issuer; OpenSSL's strict mode refuses it, and software that matches issuers by "
                "name cannot tell it apart from another nameless CA.",
    fix="Ask the certificate authority for a CA certificate with a proper subject name, and the "
        "certificates below it reissued to name it.")
NAME_CONSTRAINTS_IN_END_ENTITY = rule(
    code="certificate.name_constraints_in_end_entity", severity=Severity.WARNING,
    reference="RFC 5280 section 4.2.1.10",
    learn_more="/learn/why-trust-fails/#broken-chain",
    title="A certificate that is not a CA carries name constraints",
    explanation="{certificate} is not a CA certificate but carries a nameConstraints extension, "
                "which RFC 5280 allows only in CA certificates. Mail clients ignore it there; it "
                "shows that the certificate was not issued with care.",
    fix="Ask the certificate authority to reissue the certificate without the nameConstraints "
        "extension.")
KEY_CERT_SIGN_WITHOUT_CA = rule(
    code="certificate.key_cert_sign_without_ca", severity=Severity.ERROR,
    reference="RFC 5280 sections 4.2.1.3 and 4.2.1.9",
    learn_more="/learn/certificate-exists-but-unusable/#key-usage",
    title="A certificate that is not a CA may sign certificates",
    explanation="{certificate} sets keyCertSign in its key usage without being a CA (its "
                "basicConstraints {basic_constraints}). RFC 5280 forbids keyCertSign without "
                "cA=TRUE, and Thunderbird refuses such a certificate as someone's own "
                "certificate (inadequate key usage).",
    fix="Ask the certificate authority to reissue the certificate without keyCertSign in its key "
        "usage.")


@check
def ca_only_fields(context: CheckContext) -> Iterator[Observation]:
    # A certificate that issued another one on the path and is not a CA is already refused for
    # that (chain.issuer_not_ca, section 6.1.4 (k)); it is not named twice here.
    issuers = set(context.path[1:])
    for certificate, info in profiled_certificates(context):
        if info.basic_constraints is None and info.carries_extension(x509.BasicConstraints):
            continue  # whether it is a CA cannot be read; the malformed extension is reported as such
        if info.is_ca:
            # 4.1.2.6: "If the subject is a CA ... the subject field MUST be populated with a
            # non-empty distinguished name".
            if info.names_readable and not info.subject_name.rdns:
                yield CA_SUBJECT_EMPTY.observe(certificate)
            continue
        # 4.2.1.10: "The name constraints extension, which MUST be used only in a CA certificate".
        if info.has_extension(x509.NameConstraints):
            yield NAME_CONSTRAINTS_IN_END_ENTITY.observe(certificate)
        # 4.2.1.9: "If the cA boolean is not asserted, then the keyCertSign bit in the key usage
        # extension MUST NOT be asserted." mozilla::pkix (Thunderbird) refuses an end-entity
        # certificate with keyCertSign (CheckKeyUsage: inadequate key usage).
        if info.key_usage and "keyCertSign" in info.key_usage and certificate not in issuers:
            yield KEY_CERT_SIGN_WITHOUT_CA.observe(
                certificate, basic_constraints="say cA=FALSE" if info.basic_constraints
                is not None else "extension is absent")
