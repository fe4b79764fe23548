"""Describing a supplied private key by its type alone; the key itself is never kept or shown."""

from __future__ import annotations

from asn1crypto import keys as asn1_keys

from . import der, events
from .collector import Collector
from .errors import PARSE_ERRORS

_ALGORITHM_NAMES = {
    "rsa": "RSA",
    "rsassa_pss": "RSA",
    "dsa": "DSA",
    "ec": "EC",
    "ed25519": "Ed25519",
    "ed448": "Ed448",
    "x25519": "X25519",
    "x448": "X448",
}

_LABEL_TYPES = {
    "RSA PRIVATE KEY": "RSA",
    "EC PRIVATE KEY": "EC",
    "DSA PRIVATE KEY": "DSA",
    "ENCRYPTED PRIVATE KEY": "encrypted",
    "OPENSSH PRIVATE KEY": "OpenSSH",
}


def is_private_key_label(label: str) -> bool:
    return label.endswith("PRIVATE KEY") and not label.startswith("PGP")


def report_private_key(
    collector: Collector, origin: str, *, data: bytes | None, kind: str | None = None, label: str | None = None,
    encrypted: bool = False,
) -> None:
    """Record that a private key was supplied, with its type, size and curve where the structure tells them.

    Read with asn1crypto rather than cryptography so no usable key object is ever built.
    """
    key_type = _LABEL_TYPES.get(label or "", "unknown")
    key_size: int | None = None
    curve: str | None = None
    if data is not None and kind is None:
        kind = der.classify(data)
    if kind == der.ENCRYPTED_PRIVATE_KEY_INFO:
        key_type, encrypted = "encrypted", True
    elif data is not None and kind in (der.PRIVATE_KEY_INFO, der.RSA_PRIVATE_KEY, der.EC_PRIVATE_KEY):
        key_type, key_size, curve = _describe(data, kind, key_type)
    elif kind == der.DSA_PRIVATE_KEY:
        key_type = "DSA"
    collector.event(
        events.INPUT_PRIVATE_KEY_PRESENT,
        origin=origin, key_type=key_type, key_size=key_size, curve=curve, encrypted=encrypted,
    )


def _describe(data: bytes, kind: str, fallback: str) -> tuple[str, int | None, str | None]:
    try:
        if kind == der.PRIVATE_KEY_INFO:
            info = asn1_keys.PrivateKeyInfo.load(data)
            algorithm = info["private_key_algorithm"]["algorithm"].native
            name = _ALGORITHM_NAMES.get(algorithm, algorithm)
            if name in ("RSA", "DSA"):
                return name, _modulus_bits(info), None
            if name == "EC":
                curve = _curve_name(info["private_key_algorithm"]["parameters"])
                return name, _curve_bits(curve), curve
            return name, None, None
        if kind == der.RSA_PRIVATE_KEY:
            rsa = asn1_keys.RSAPrivateKey.load(data)
            return "RSA", rsa["modulus"].native.bit_length(), None
        if kind == der.EC_PRIVATE_KEY:
            ec = asn1_keys.ECPrivateKey.load(data)
            curve = _curve_name(ec["parameters"])
            return "EC", _curve_bits(curve), curve
    except PARSE_ERRORS:
        pass
    return fallback, None, None


def _modulus_bits(info: asn1_keys.PrivateKeyInfo) -> int | None:
    try:
        parsed = info["private_key"].parsed
        if "modulus" in parsed:
            return int(parsed["modulus"].native).bit_length()
        return int(info["private_key_algorithm"]["parameters"]["p"].native).bit_length()
    except PARSE_ERRORS:
        return None


def _curve_name(parameters: object) -> str | None:
    try:
        if getattr(parameters, "name", None) == "named":
            return str(parameters.chosen.native)  # type: ignore[attr-defined]
    except PARSE_ERRORS:
        pass
    return None


_CURVE_BITS = {"secp256r1": 256, "secp384r1": 384, "secp521r1": 521, "secp256k1": 256, "secp224r1": 224}


def _curve_bits(curve: str | None) -> int | None:
    return _CURVE_BITS.get(curve or "")
