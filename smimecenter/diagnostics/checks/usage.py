"""What the leaf's key may be used for (RFC 8550 sections 4.4.2 and 4.4.4, S/MIME BR 7.1.2.3 (e), (f))."""
from __future__ import annotations

from collections.abc import Iterator

from ..certinfo import CertificateFacts
from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

NOT_FOR_EMAIL = rule(
    code="usage.not_for_email", severity=Severity.ERROR,
    reference="RFC 8550 section 4.4.4; CA/B Forum S/MIME BR section 7.1.2.3 (f)",
    learn_more="/learn/certificate-exists-but-unusable/#extended-key-usage",
    title="The certificate is not for email",
    explanation="{certificate} may only be used for {eku}; email protection is not named, so "
                "mail clients refuse it for signing and encryption (Thunderbird and OpenSSL do "
                "not accept anyExtendedKeyUsage in its place).",
    fix="Request an S/MIME (email) certificate; a TLS or login certificate cannot be reused "
        "for mail.")
CANNOT_SIGN = rule(
    code="usage.cannot_sign", severity=Severity.WARNING,
    reference="RFC 8550 section 4.4.2; CA/B Forum S/MIME BR section 7.1.2.3 (e)",
    learn_more="/learn/certificate-exists-but-unusable/#key-usage",
    title="The certificate cannot sign mail",
    explanation="{certificate} allows its key only for {key_usage}; signing mail needs "
                "digitalSignature (or nonRepudiation).",
    fix="If you meant to sign, request a signing (or dual-use) certificate; this one is for "
        "encryption only.")
CANNOT_ENCRYPT = rule(
    code="usage.cannot_encrypt", severity=Severity.WARNING,
    reference="RFC 8550 section 4.4.2; RFC 8551 section 2.2; CA/B Forum S/MIME BR section 7.1.2.3 (e)",
    learn_more="/troubleshooting/can-sign-but-cannot-encrypt/",
    title="Nobody can encrypt mail to this certificate",
    explanation="{certificate} has {reason}, so senders cannot encrypt mail to you with it.",
    fix="{fix}")


def can_sign(info: CertificateFacts) -> bool:
    usage = info.key_usage
    return usage is None or "digitalSignature" in usage or "nonRepudiation" in usage


def encryption_blocker(info: CertificateFacts) -> tuple[str, str] | None:
    """Why mail cannot be encrypted to this key (reason, fix), or None when it can."""
    usage = info.key_usage
    if info.key_type == "RSA":
        if usage is not None and "keyEncipherment" not in usage:
            return (f"an RSA key whose key usage ({', '.join(usage) or 'none'}) lacks "
                    "keyEncipherment",
                    "Request a certificate with keyEncipherment (dual-use), or a separate "
                    "encryption certificate.")
        return None
    if info.key_type == "EC":
        if usage is not None and "keyAgreement" not in usage:
            return (f"an EC key whose key usage ({', '.join(usage) or 'none'}) lacks keyAgreement",
                    "Request a certificate with keyAgreement, or an RSA certificate for "
                    "encryption.")
        return None
    if info.key_type.startswith("ML-KEM"):
        # RFC 9629 (KEMRecipientInfo) lets CMS encrypt to a KEM key; no mail app documents doing so
        return (f"an {info.key_type} key, which mail apps do not yet use to encrypt",
                "Use an RSA or EC (P-256/P-384) certificate for receiving encrypted mail.")
    if info.key_type == "unknown":
        return ("a key of a type this tool does not recognise",
                "Use an RSA or EC (P-256/P-384) certificate for receiving encrypted mail.")
    article = "an" if info.key_type[:1] in "EM" else "a"  # an Ed25519, an ML-DSA-65, a DSA
    return (f"{article} {info.key_type} key, which S/MIME cannot use to encrypt",
            "Use an RSA or EC (P-256/P-384) certificate for receiving encrypted mail.")


@check
def usage(context: CheckContext) -> Iterator[Observation]:
    leaf = context.leaf
    if leaf is None:
        return
    info = context.facts(leaf)
    if not info.leaf_allows_email_protection():
        yield NOT_FOR_EMAIL.observe(leaf, eku=list(info.eku or ()))
    if not can_sign(info):
        yield CANNOT_SIGN.observe(leaf, key_usage=list(info.key_usage or ()))
    blocker = encryption_blocker(info)
    if blocker is not None:
        yield CANNOT_ENCRYPT.observe(leaf, reason=blocker[0], fix=blocker[1])
