"""Builders shared by the expert-tool tests: .p12 files of every protection, CSRs good and bad."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from smimecenter.diagnostics.inputs import Limits, read_inputs
from tests.diagnostics.builders import Issued, name, next_rsa_key

OPENSSL = shutil.which("openssl")


def p12_with(*, key, certificate: Issued | None, extra=(), password: bytes | None = b"secret",
             algorithm=pkcs12.PBES.PBESv2SHA256AndAES256CBC, mac=hashes.SHA256(), iterations: int = 2048) -> bytes:
    if password is None:
        encryption = serialization.NoEncryption()
    else:
        encryption = (serialization.PrivateFormat.PKCS12.encryption_builder().kdf_rounds(iterations)
                      .key_cert_algorithm(algorithm).hmac_hash(mac).build(password))
    return pkcs12.serialize_key_and_certificates(
        b"alice", key, certificate.certificate if certificate else None,
        [c.certificate for c in extra] or None, encryption)


def openssl_legacy_p12(issued: Issued, password: str = "secret", *options: str) -> bytes:
    """What `openssl pkcs12 -export -legacy` writes: RC2-40 for certificates, 3DES for the key (by default)."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "cert.pem").write_bytes(issued.pem)
        (base / "key.pem").write_bytes(issued.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        subprocess.run([OPENSSL, "pkcs12", "-export", "-legacy", "-in", str(base / "cert.pem"),
                        "-inkey", str(base / "key.pem"), "-out", str(base / "out.p12"),
                        "-passout", f"pass:{password}", *options], check=True, capture_output=True)
        return (base / "out.p12").read_bytes()


def parsed_p12(data: bytes, password: bytes | str | None = b"secret", limits: Limits | None = None):
    return read_inputs([data], password=password, limits=limits or Limits())


def csr(*, key=None, subject: x509.Name | None = None, emails=("alice@example.com",), extensions=(),
        attributes=(), hash_algorithm=hashes.SHA256()) -> x509.CertificateSigningRequest:
    key = key if key is not None else next_rsa_key()
    builder = x509.CertificateSigningRequestBuilder().subject_name(
        subject if subject is not None else name(emails[0] if emails else "Example"))
    if emails:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(e) for e in emails]),
                                        critical=False)
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    for oid, value in attributes:
        builder = builder.add_attribute(oid, value)
    return builder.sign(key, hash_algorithm)


def csr_pem(request: x509.CertificateSigningRequest) -> bytes:
    return request.public_bytes(serialization.Encoding.PEM)


def openssl_sha1_csr() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "req.pem"
        subprocess.run([OPENSSL, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout",
                        str(Path(folder) / "k.pem"), "-sha1", "-subj", "/CN=alice@example.com",
                        "-addext", "subjectAltName=email:alice@example.com", "-out", str(out)],
                       check=True, capture_output=True)
        return out.read_bytes()
