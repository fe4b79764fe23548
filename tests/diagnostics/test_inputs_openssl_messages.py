"""Signed mail made by OpenSSL, a second implementation: streamed BER, RSA-PSS, no attributes, key ids."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from smimecenter.diagnostics.inputs import read_inputs

from .builders import ec_key, make_chain, make_leaf, private_key_pem

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")

CONTENT = b"Content-Type: text/plain\r\n\r\nHello from OpenSSL\r\nsecond line\r\n"


@pytest.fixture(scope="module")
def signer(tmp_path_factory):
    chain = make_chain()
    folder = tmp_path_factory.mktemp("openssl")
    (folder / "signer.pem").write_bytes(chain.leaf.pem + private_key_pem(chain.leaf.key))
    (folder / "chain.pem").write_bytes(chain.intermediate.pem)
    (folder / "content.txt").write_bytes(CONTENT)
    ec_leaf = make_leaf(issuer=chain.intermediate, key=ec_key())
    (folder / "ec.pem").write_bytes(ec_leaf.pem + private_key_pem(ec_leaf.key))
    return folder, chain, ec_leaf


def openssl_sign(folder, *options: str, signer_file: str = "signer.pem") -> bytes:
    out = folder / "out"
    subprocess.run(["openssl", "cms", "-sign", "-in", str(folder / "content.txt"), "-signer",
                    str(folder / signer_file), "-certfile", str(folder / "chain.pem"), "-out", str(out),
                    *options], check=True, capture_output=True)
    return out.read_bytes()


@pytest.mark.parametrize("options, kind, algorithm", [
    ((), "multipart/signed", "RSA PKCS#1 v1.5"),
    (("-keyopt", "rsa_padding_mode:pss"), "multipart/signed", "RSA-PSS"),
    (("-noattr",), "multipart/signed", "RSA PKCS#1 v1.5"),
    (("-keyid",), "multipart/signed", "RSA PKCS#1 v1.5"),
    (("-nodetach", "-stream"), "application/pkcs7-mime", "RSA PKCS#1 v1.5"),
    (("-nodetach", "-stream", "-outform", "DER"), "application/pkcs7-mime", "RSA PKCS#1 v1.5"),
    (("-md", "sha512"), "multipart/signed", "RSA PKCS#1 v1.5"),
], ids=["detached", "pss", "no-attributes", "key-id", "opaque-streamed", "opaque-ber-file", "sha512"])
def test_openssl_signatures_verify(signer, options, kind, algorithm):
    folder, chain, _ = signer
    parsed = read_inputs([openssl_sign(folder, *options)])
    [message] = parsed.messages
    assert (message.kind, message.signature_algorithm) == (kind, algorithm)
    assert message.signer == chain.leaf.certificate
    assert (message.content_intact, message.signature_valid) == (True, True)
    assert chain.intermediate.certificate in message.certificates


def test_an_openssl_ecdsa_signature_verifies(signer):
    folder, _, ec_leaf = signer
    [message] = read_inputs([openssl_sign(folder, signer_file="ec.pem")]).messages
    assert (message.signature_algorithm, message.signer) == ("ECDSA", ec_leaf.certificate)
    assert (message.content_intact, message.signature_valid) == (True, True)


def test_an_openssl_message_changed_in_transit_is_caught(signer):
    folder, _, _ = signer
    data = openssl_sign(folder).replace(b"second line", b"second lime")
    [message] = read_inputs([data]).messages
    assert message.content_intact is False
