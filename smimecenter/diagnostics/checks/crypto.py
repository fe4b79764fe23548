"""Keys and signature algorithms mail clients accept (S/MIME BR sections 6.1.5 and 7.1.3)."""
from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from ..public_keys import POST_QUANTUM
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
    learn_more="/learn/rsa-vs-ecc/#key-sizes",
    title="Mail clients do not accept this kind of key",
    explanation="{certificate} has {key}. The S/MIME Baseline Requirements (section 6.1.5) allow "
                "RSA, ECDSA on P-256, P-384 or P-521, EdDSA, ML-DSA and ML-KEM keys, and mail clients "
                "in use today accept RSA and ECDSA; this one is none of them.",
    fix="Get a certificate for an RSA (2048 bits or more) or P-256/P-384 EC key.")
# SBR 6.1.5 allows EdDSA (Ed25519, Ed448): the rule is what mail apps do, for which no source confirms
# support (see compatibility.py, all.eddsa_signing_unconfirmed).
EDDSA_KEY = rule(
    code="crypto.eddsa_key", severity=Severity.WARNING,
    reference="CA/B Forum S/MIME BR section 6.1.5 (allows EdDSA); RFC 8419",
    learn_more="/learn/rsa-vs-ecc/#eddsa",
    title="Few if any mail apps accept this kind of key",
    explanation="{certificate} has an {key} key. The S/MIME Baseline Requirements allow EdDSA keys "
                "(section 6.1.5) and RFC 8419 defines their use in signed mail, but we know of no mail "
                "app that documents support for them, and they can only sign, never receive "
                "encrypted mail.",
    fix="For mail that recipients can check today, use a certificate for an RSA (2048 bits or more) "
        "or P-256/P-384 EC key.")
# SBR 1.0.11 (ballot SMC013, effective 22 August 2025) added ML-DSA and ML-KEM to section 6.1.5,
# "to enable experimentation by Certificate Issuers with PQC certificates".
POST_QUANTUM_KEY = rule(
    code="crypto.post_quantum_key", severity=Severity.WARNING,
    reference="CA/B Forum S/MIME BR section 6.1.5 (version 1.0.11, ballot SMC013)",
    learn_more="/learn/rsa-vs-ecc/#key-sizes",
    title="This post-quantum key is not yet supported by mail apps",
    explanation="{certificate} has an {key} key, a post-quantum algorithm ({family}). The S/MIME "
                "Baseline Requirements allow it since version 1.0.11, added so that certificate "
                "issuers can experiment with it; we know of no mail app that documents support for "
                "it, so recipients will most likely not be able to {use}.",
    fix="Keep a certificate for an RSA or P-256/P-384 EC key for everyday mail, and use this one only "
        "with software that says it supports {family_short}.")


@check
def key_strength(context: CheckContext) -> Iterator[Observation]:
    for certificate in context.path:
        info = context.facts(certificate)
        if info.key_type == "RSA" and info.key_size is not None and info.key_size < MIN_RSA_BITS:
            yield WEAK_KEY.observe(certificate, bits=info.key_size)
        elif info.key_type in ("Ed25519", "Ed448"):
            yield EDDSA_KEY.observe(certificate, key=info.key_type)
        elif info.key_type in POST_QUANTUM:
            signing = info.key_type.startswith("ML-DSA")
            yield POST_QUANTUM_KEY.observe(
                certificate, key=info.key_type,
                family="a signature algorithm, FIPS 204" if signing else "a key-encapsulation mechanism, FIPS 203",
                family_short="ML-DSA" if signing else "ML-KEM",
                use="check your signatures" if signing else "encrypt mail to you")
        elif info.key_type == "DSA":
            yield UNSUPPORTED_KEY.observe(certificate, key="a DSA key")
        elif info.key_type == "unknown":
            yield UNSUPPORTED_KEY.observe(certificate, key="a key of a type this tool does not recognise")
        elif info.key_type == "EC" and info.curve not in ACCEPTED_CURVES:
            yield UNSUPPORTED_KEY.observe(certificate, key=f"an EC key on the curve {info.curve}")


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
