"""Keys and signature algorithms mail clients accept (S/MIME BR sections 6.1.5 and 7.1.3)."""
from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

MIN_RSA_BITS = 2048  # CA/B Forum S/MIME BR section 6.1.5
ACCEPTED_CURVES = {"secp256r1", "secp384r1", "secp521r1"}  # S/MIME BR section 6.1.5
WEAK_HASHES = {"md5", "sha1", "md2", "md4"}

WEAK_KEY = rule(
    code="crypto.weak_key", severity=Severity.ERROR,
    reference="CA/B Forum S/MIME BR section 6.1.5",
    learn_more="/learn/rsa-vs-ecc/#key-sizes",
    title="The key is too short",
    explanation="{certificate} has a {bits}-bit RSA key; at least 2048 bits are required, and "
                "shorter keys can be broken.",
    fix="Get a new certificate with a new key of 2048 bits or more (3072 is a good choice).")
WEAK_SIGNATURE = rule(
    code="crypto.weak_signature", severity=Severity.ERROR,
    reference="CA/B Forum S/MIME BR section 7.1.3.2; RFC 8551 section 2.1",
    learn_more="/learn/rsa-vs-ecc/#signature-algorithms",
    title="The certificate is signed with a broken algorithm",
    explanation="{certificate} is signed with {algorithm}; {hash} is broken and mail clients "
                "reject such signatures.",
    fix="Get the certificate reissued with a SHA-256 (or stronger) signature.")
UNSUPPORTED_KEY = rule(
    code="crypto.unsupported_key", severity=Severity.ERROR,
    reference="CA/B Forum S/MIME BR section 6.1.5; RFC 8551 section 2",
    learn_more="/learn/rsa-vs-ecc/#eddsa",
    title="Mail clients do not accept this kind of key",
    explanation="{certificate} has a {key} key. Mail clients in use today accept RSA and ECDSA "
                "(P-256, P-384, P-521) keys for S/MIME, not this one.",
    fix="Get a certificate for an RSA (2048 bits or more) or P-256/P-384 EC key.")


@check
def key_strength(context: CheckContext) -> Iterator[Observation]:
    for certificate in context.path:
        info = context.facts(certificate)
        if info.key_type == "RSA" and info.key_size is not None and info.key_size < MIN_RSA_BITS:
            yield WEAK_KEY.observe(certificate, bits=info.key_size)
        elif info.key_type in ("Ed25519", "Ed448", "DSA", "unknown"):
            yield UNSUPPORTED_KEY.observe(certificate, key=info.key_type)
        elif info.key_type == "EC" and info.curve not in ACCEPTED_CURVES:
            yield UNSUPPORTED_KEY.observe(certificate, key=f"EC ({info.curve})")


@check
def signature_strength(context: CheckContext) -> Iterator[Observation]:
    for certificate in context.path:
        info = context.facts(certificate)
        # A trust anchor's own signature is never checked (RFC 5280 section 6.1.1 (d)), and
        # neither is a root's self-signature: only signatures made by an issuer count.
        if context.is_anchor(certificate) or (info.self_issued and certificate is context.path[-1]):
            continue
        if info.signature_hash in WEAK_HASHES:
            yield WEAK_SIGNATURE.observe(certificate, algorithm=info.signature_algorithm,
                                         hash=info.signature_hash.upper().replace("SHA", "SHA-"))
