"""What kind of public key a certificate, request or .p12 holds: one place that names key types."""
from __future__ import annotations

from typing import NamedTuple

from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, mldsa, mlkem, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

__all__ = ["KeyShape", "POST_QUANTUM", "key_shape"]

# The post-quantum key types the S/MIME BR allow since version 1.0.11 (section 6.1.5), by parameter set.
_POST_QUANTUM_CLASSES: tuple[tuple[str, str], ...] = (
    ("ML-DSA-44", "MLDSA44PublicKey"), ("ML-DSA-65", "MLDSA65PublicKey"), ("ML-DSA-87", "MLDSA87PublicKey"),
    ("ML-KEM-512", "MLKEM512PublicKey"), ("ML-KEM-768", "MLKEM768PublicKey"),
    ("ML-KEM-1024", "MLKEM1024PublicKey"),
)
POST_QUANTUM = frozenset(name for name, _ in _POST_QUANTUM_CLASSES)


class KeyShape(NamedTuple):
    type: str  # "RSA", "EC", "Ed25519", "Ed448", "DSA", "ML-DSA-65" (FIPS 204), "ML-KEM-768" (FIPS 203), "unknown"
    size: int | None  # bits, for RSA, DSA and EC
    curve: str | None  # EC curve name ("secp256r1")


def key_shape(key: PublicKeyTypes | None) -> KeyShape:
    if isinstance(key, rsa.RSAPublicKey):
        return KeyShape("RSA", key.key_size, None)
    if isinstance(key, ec.EllipticCurvePublicKey):
        return KeyShape("EC", key.key_size, key.curve.name)
    if isinstance(key, ed25519.Ed25519PublicKey):
        return KeyShape("Ed25519", None, None)
    if isinstance(key, ed448.Ed448PublicKey):
        return KeyShape("Ed448", None, None)
    if isinstance(key, dsa.DSAPublicKey):
        return KeyShape("DSA", key.key_size, None)
    for name, class_name in _POST_QUANTUM_CLASSES:
        # cryptography offers only some parameter sets (no ML-KEM-512 in 50.x)
        key_class = getattr(mldsa if name.startswith("ML-DSA") else mlkem, class_name, None)
        if key_class is not None and isinstance(key, key_class):
            return KeyShape(name, None, None)
    return KeyShape("unknown", None, None)
