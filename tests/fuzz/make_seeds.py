"""Write the fuzzing seed corpus (tests/fuzz/seeds/) from certificates built in code.

Run once after changing a builder: `.venv/bin/python -m tests.fuzz.make_seeds`. The files are kept in git
so that `make fuzz` and the hypothesis tests start from the same inputs on every machine.
"""
from __future__ import annotations

import base64
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from tests.diagnostics.builders import ec_key, make_chain, make_csr, make_leaf, pkcs12_bytes, private_key_pem

SEEDS = Path(__file__).resolve().parent / "seeds"
# Outlook .msg files cannot be built in code (no maintained writer); the seed is a real one (its README says whence).
OUTLOOK_MSG = Path(__file__).resolve().parent.parent / "data" / "msg" / "simple-java-mail-signed.msg"
PASSWORD = b"fuzz-seed-pass"  # the harness and the tests open the .p12 seeds with this password


def seeds() -> dict[str, bytes]:
    chain = make_chain(key=ec_key())
    leaf = chain.leaf
    signed = (pkcs7.PKCS7SignatureBuilder().set_data(b"Content-Type: text/plain\r\n\r\nhello\r\n")
              .add_signer(leaf.certificate, leaf.key, hashes.SHA256()))
    p7s = signed.sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
    smime = signed.sign(serialization.Encoding.SMIME, [pkcs7.PKCS7Options.DetachedSignature])
    return {
        "leaf.der": leaf.der,
        "chain.pem": leaf.pem + chain.intermediate.pem,
        "quoted-mail.txt": b"Dear support,\r\n> " + leaf.pem.replace(b"\n", b"\n> ") + chain.intermediate.pem,
        "bundle.p7b": pkcs7.serialize_certificates([leaf.certificate, chain.intermediate.certificate],
                                                   serialization.Encoding.DER),
        "bundle-pem.p7b": pkcs7.serialize_certificates([leaf.certificate], serialization.Encoding.PEM),
        "modern.p12": pkcs12_bytes(key=leaf.key, certificate=leaf, extra=[chain.intermediate],
                                   password=PASSWORD, iterations=16),
        "legacy.p12": pkcs12_bytes(key=leaf.key, certificate=leaf, password=PASSWORD, iterations=16, legacy=True),
        "no-password.p12": pkcs12_bytes(key=leaf.key, certificate=leaf, password=None),
        "signed.eml": b"From: Alice <alice@example.com>\r\n" + smime,
        "opaque.eml": b"From: alice@example.com\r\nMIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime;"
                      b" smime-type=signed-data\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                      + base64.encodebytes(signed.sign(serialization.Encoding.DER, [])),
        "signature.p7s": p7s,
        "signature-base64.txt": base64.encodebytes(p7s),
        "request.csr": make_csr(key=ec_key()).public_bytes(serialization.Encoding.DER),
        "request-pem.csr": make_csr(key=ec_key()).public_bytes(serialization.Encoding.PEM),
        "key.pem": private_key_pem(make_leaf(issuer=None, key=ec_key()).key),
        "outlook-signed.msg": OUTLOOK_MSG.read_bytes(),
    }


def main() -> None:
    SEEDS.mkdir(exist_ok=True)
    for name, data in seeds().items():
        (SEEDS / name).write_bytes(data)
    print(f"wrote {len(seeds())} seeds to {SEEDS}")


if __name__ == "__main__":
    main()
