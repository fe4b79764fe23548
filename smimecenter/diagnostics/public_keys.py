"""What kind of public key a certificate, request or .p12 holds: one place that names key types."""
from __future__ import annotations

from typing import NamedTuple

from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

__all__ = ["KeyShape", "key_shape"]


class KeyShape(NamedTuple):
    type: str  # "RSA", "EC", "Ed25519", "Ed448", "DSA" or "unknown"
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
    return KeyShape("unknown", None, None)
