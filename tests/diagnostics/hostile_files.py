"""Crafted .p12 files of the kinds an attacker sends: scrypt-protected keys, unknown key derivations.

The scrypt key is encrypted by the openssl command (cryptography writes no scrypt PKCS#8) and put into a
PKCS#12 file without a MAC (RFC 7292 allows one), so OpenSSL really runs scrypt when the file is opened.
Costly parameters are written into the structure afterwards: deriving them once to build the file would
take minutes, and the engine must refuse them before deriving anything.
"""
from __future__ import annotations

import subprocess

from asn1crypto import algos, cms, core, keys, pkcs12, x509
from cryptography.hazmat.primitives import serialization

from smimecenter.diagnostics.inputs.pkcs12_structure import OID_SCRYPT, ScryptParams

from .builders import Issued


def scrypt_pkcs12(*, key, certificate: Issued, password: bytes, n: int = 16, r: int = 1, p: int = 1,
                  declared: tuple[int, int, int] | None = None) -> bytes:
    """A .p12 whose key bag is PBES2 with scrypt(n, r, p); `declared` rewrites N, r, p afterwards."""
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    encrypted = subprocess.run(
        ["openssl", "pkcs8", "-topk8", "-scrypt", "-scrypt_N", str(n), "-scrypt_r", str(r), "-scrypt_p", str(p),
         "-outform", "DER", "-passout", "stdin"],
        input=password + b"\n" + pem, capture_output=True, check=True).stdout
    info = keys.EncryptedPrivateKeyInfo.load(encrypted)
    if declared is not None:
        info = with_kdf(info, OID_SCRYPT, ScryptParams({
            "salt": b"s" * 16, "cost_parameter": declared[0], "block_size": declared[1],
            "parallelization_parameter": declared[2], "key_length": 32}).dump())
    return _pfx([
        pkcs12.SafeBag({"bag_id": "pkcs8_shrouded_key_bag", "bag_value": info}),
        pkcs12.SafeBag({"bag_id": "cert_bag", "bag_value": pkcs12.CertBag({
            "cert_id": "x509", "cert_value": x509.Certificate.load(certificate.der)})}),
    ])


def with_kdf(info: keys.EncryptedPrivateKeyInfo, oid: str, parameters: bytes) -> keys.EncryptedPrivateKeyInfo:
    """The same encrypted key declaring another PBES2 key-derivation function (RFC 8018 A.4)."""
    algorithm = info["encryption_algorithm"]
    pbes2 = algorithm["parameters"]
    kdf = algos.KdfAlgorithm({"algorithm": oid, "parameters": core.Any.load(parameters)})
    new_pbes2 = algos.Pbes2Params({"key_derivation_func": kdf, "encryption_scheme": pbes2["encryption_scheme"]})
    return keys.EncryptedPrivateKeyInfo({
        "encryption_algorithm": algos.EncryptionAlgorithm({"algorithm": "pbes2", "parameters": new_pbes2}),
        "encrypted_data": info["encrypted_data"].native,
    })


def unknown_kdf_pkcs12(*, key, certificate: Issued, password: bytes) -> bytes:
    """A scrypt .p12 whose key derivation is relabelled with an OID no one knows."""
    data = scrypt_pkcs12(key=key, certificate=certificate, password=password)
    pfx = pkcs12.Pfx.load(data)
    safe = pkcs12.AuthenticatedSafe.load(pfx["auth_safe"]["content"].native)
    bags = pkcs12.SafeContents.load(safe[0]["content"].native)
    info = with_kdf(bags[0]["bag_value"], "1.3.6.1.4.1.99999.1", b"\x30\x00")
    return _pfx([pkcs12.SafeBag({"bag_id": "pkcs8_shrouded_key_bag", "bag_value": info}), bags[1]])


def _pfx(bags: list[pkcs12.SafeBag]) -> bytes:
    contents = pkcs12.SafeContents(bags)
    safe = pkcs12.AuthenticatedSafe([cms.ContentInfo({"content_type": "data", "content": contents.dump()})])
    return pkcs12.Pfx({"version": "v3", "auth_safe": {"content_type": "data", "content": safe.dump()}}).dump()
