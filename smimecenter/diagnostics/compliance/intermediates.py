"""Our own S/MIME BR checks for subordinate CA certificates, which pkilint does not lint.

CA/B Forum S/MIME BR section 7.1.2.2 (subordinate CA certificate profile), 6.1.5 (keys) and 7.1.3.2
(signature algorithms). Each check is one small function returning the problems it sees.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from ..certinfo import CertificateFacts
from ..checks.registry import Rule
from ..findings import Severity

__all__ = ["INTERMEDIATE_RULES", "intermediate_problems"]

EMAIL = ExtendedKeyUsageOID.EMAIL_PROTECTION.dotted_string
# 7.1.2.2 (g): these purposes SHALL NOT be present on a CA that issues S/MIME certificates.
PROHIBITED_EKU = {
    ExtendedKeyUsageOID.SERVER_AUTH.dotted_string: "serverAuth",
    ExtendedKeyUsageOID.CODE_SIGNING.dotted_string: "codeSigning",
    ExtendedKeyUsageOID.TIME_STAMPING.dotted_string: "timeStamping",
    ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE.dotted_string: "anyExtendedKeyUsage",
}
ACCEPTED_CURVES = {"secp256r1", "secp384r1", "secp521r1"}  # 6.1.5
WEAK_HASHES = {"md5", "sha1", "md2", "md4"}  # 7.1.3.2 permits SHA-256, SHA-384, SHA-512 only
EKU_PAGE = "/learn/why-trust-fails/#intermediate-not-for-email"
CHAINS = "/learn/why-trust-fails/#how-chains-work"


def _rule(code: str, severity: Severity, section: str, title: str, explanation: str, fix: str,
          learn_more: str = CHAINS) -> Rule:
    return Rule(code=f"compliance.intermediate.{code}", severity=severity,
                reference=f"CA/B Forum S/MIME BR section {section}", learn_more=learn_more,
                title=title, explanation=explanation, fix=fix)


REISSUE = "Only the certificate authority can fix this, by issuing a corrected intermediate certificate."
NO_EKU = _rule("no_eku", Severity.ERROR, "7.1.2.2 (g)", "The intermediate has no extended key usage",
               "{certificate} does not restrict what it may issue for; an S/MIME issuing CA must carry "
               "extendedKeyUsage with emailProtection.", REISSUE, EKU_PAGE)
NO_EMAIL_EKU = _rule("no_email_protection", Severity.ERROR, "7.1.2.2 (g)",
                     "The intermediate is not allowed to issue email certificates",
                     "{certificate} allows only {eku}; emailProtection must be present.", REISSUE, EKU_PAGE)
PROHIBITED = _rule("prohibited_eku", Severity.ERROR, "7.1.2.2 (g)",
                   "The intermediate mixes email with purposes the rules forbid",
                   "{certificate} also allows {prohibited}, which an S/MIME issuing CA must not.", REISSUE, EKU_PAGE)
NO_KU = _rule("no_key_usage", Severity.ERROR, "7.1.2.2 (e)", "The intermediate has no key usage extension",
              "{certificate} has no keyUsage; it must have one, marked critical, with keyCertSign and cRLSign.",
              REISSUE)
KU_NOT_CRITICAL = _rule("key_usage_not_critical", Severity.WARNING, "7.1.2.2 (e)",
                        "The intermediate's key usage is not marked critical",
                        "{certificate} has a keyUsage extension that is not marked critical.", REISSUE)
KU_BITS = _rule("key_usage_bits", Severity.ERROR, "7.1.2.2 (e)",
                "The intermediate's key usage lacks certificate or CRL signing",
                "{certificate} allows {key_usage}; keyCertSign and cRLSign must both be set.", REISSUE)
BASIC = _rule("basic_constraints", Severity.ERROR, "7.1.2.2 (d)",
              "The intermediate's basicConstraints are wrong",
              "{certificate}: {reason}. basicConstraints must be present, critical, with cA true.", REISSUE)
NO_CRL = _rule("no_crl", Severity.ERROR, "7.1.2.2 (b)", "The intermediate has no CRL address",
               "{certificate} has no cRLDistributionPoints with an http:// URL, so its revocation cannot be "
               "checked.", REISSUE, "/learn/certificate-exists-but-unusable/#revocation")
NO_POLICIES = _rule("no_policies", Severity.ERROR, "7.1.2.2 (a)", "The intermediate has no certificate policies",
                    "{certificate} carries no certificatePolicies extension.", REISSUE)
NO_AKI = _rule("no_authority_key_id", Severity.ERROR, "7.1.2.2 (h)",
               "The intermediate has no authority key identifier",
               "{certificate} does not identify the key that signed it (authorityKeyIdentifier with "
               "keyIdentifier), which helps clients pick the right issuer.", REISSUE)
NO_SKI = _rule("no_subject_key_id", Severity.ERROR, "7.1.2.2 (i)", "The intermediate has no subject key identifier",
               "{certificate} has no subjectKeyIdentifier, which the certificates it issues refer to.", REISSUE)
WEAK_KEY = _rule("key", Severity.ERROR, "6.1.5", "The intermediate's key is not one the rules allow",
                 "{certificate} has {key}; RSA of 2048 bits or more (a multiple of 8) or ECDSA on P-256, "
                 "P-384 or P-521 are required.", REISSUE, "/learn/rsa-vs-ecc/#key-sizes")
WEAK_SIGNATURE = _rule("signature", Severity.ERROR, "7.1.3.2",
                       "The intermediate is signed with an algorithm the rules do not allow",
                       "{certificate} is signed with {algorithm}.", REISSUE, "/learn/rsa-vs-ecc/#signature-algorithms")
EXPIRES_FIRST = _rule("expires_before_leaf", Severity.WARNING, "7.1.2.2; RFC 5280 section 6.1.3 (a)(2)",
                      "The intermediate expires before your certificate does",
                      "{certificate} expires on {not_after}, before {leaf} (valid until {leaf_not_after}). From "
                      "then on the chain no longer validates, and mail signed with your certificate will show "
                      "as untrusted unless a renewed intermediate is installed.",
                      "Get the renewed intermediate from your certificate authority before that date and send "
                      "it with your mail (most clients include what is installed).")

INTERMEDIATE_RULES: tuple[Rule, ...] = (NO_EKU, NO_EMAIL_EKU, PROHIBITED, NO_KU, KU_NOT_CRITICAL, KU_BITS, BASIC,
                                        NO_CRL, NO_POLICIES, NO_AKI, NO_SKI, WEAK_KEY, WEAK_SIGNATURE, EXPIRES_FIRST)

Problem = tuple[Rule, dict[str, object]]


def _extension(info: CertificateFacts, kind: type) -> x509.Extension | None:
    try:
        return info.certificate.extensions.get_extension_for_class(kind)
    except Exception:  # absent, or unreadable (certinfo records why)
        return None


def _eku(info: CertificateFacts, leaf: CertificateFacts | None) -> Iterator[Problem]:
    oids = info.eku_oids
    if oids is None:
        yield NO_EKU, {}
        return
    if EMAIL not in oids:
        yield NO_EMAIL_EKU, {"eku": ", ".join(info.eku or ()) or "nothing"}
    prohibited = [PROHIBITED_EKU[o] for o in oids if o in PROHIBITED_EKU]
    if prohibited:
        yield PROHIBITED, {"prohibited": ", ".join(prohibited)}


def _key_usage(info: CertificateFacts, leaf: CertificateFacts | None) -> Iterator[Problem]:
    extension = _extension(info, x509.KeyUsage)
    if extension is None:
        yield NO_KU, {}
        return
    if not extension.critical:
        yield KU_NOT_CRITICAL, {}
    usage = info.key_usage or ()
    if "keyCertSign" not in usage or "cRLSign" not in usage:
        yield KU_BITS, {"key_usage": ", ".join(usage) or "nothing"}


def _basic_constraints(info: CertificateFacts, leaf: CertificateFacts | None) -> Iterator[Problem]:
    extension = _extension(info, x509.BasicConstraints)
    if extension is None:
        yield BASIC, {"reason": "basicConstraints is missing"}
    elif not extension.value.ca:
        yield BASIC, {"reason": "cA is false"}
    elif not extension.critical:
        yield BASIC, {"reason": "basicConstraints is not marked critical"}


def _crl(info: CertificateFacts, leaf: CertificateFacts | None) -> Iterator[Problem]:
    if not any(url.lower().startswith("http://") for url in info.crl_urls):
        yield NO_CRL, {}


def _identifiers(info: CertificateFacts, leaf: CertificateFacts | None) -> Iterator[Problem]:
    if info.extension(x509.CertificatePolicies) is None:
        yield NO_POLICIES, {}
    if info.authority_key_id is None:
        yield NO_AKI, {}
    if info.subject_key_id is None:
        yield NO_SKI, {}


def _key_and_signature(info: CertificateFacts, leaf: CertificateFacts | None) -> Iterator[Problem]:
    if info.key_type == "RSA" and info.key_size is not None and (info.key_size < 2048 or info.key_size % 8):
        yield WEAK_KEY, {"key": f"a {info.key_size}-bit RSA key"}
    elif info.key_type == "EC" and info.curve not in ACCEPTED_CURVES:
        yield WEAK_KEY, {"key": f"an EC key on {info.curve}"}
    elif info.key_type in ("DSA", "unknown"):
        yield WEAK_KEY, {"key": f"a {info.key_type} key"}
    if info.signature_hash in WEAK_HASHES:
        yield WEAK_SIGNATURE, {"algorithm": info.signature_algorithm}


def _outlived(info: CertificateFacts, leaf: CertificateFacts | None) -> Iterator[Problem]:
    if leaf is not None and info.not_after < leaf.not_after:
        yield EXPIRES_FIRST, {"leaf": leaf.label, "leaf_not_after": leaf.not_after}


CHECKS: tuple[Callable[[CertificateFacts, CertificateFacts | None], Iterator[Problem]], ...] = (
    _eku, _key_usage, _basic_constraints, _crl, _identifiers, _key_and_signature, _outlived)


def intermediate_problems(info: CertificateFacts, leaf: CertificateFacts | None) -> list[Problem]:
    return [problem for check in CHECKS for problem in check(info, leaf)]
