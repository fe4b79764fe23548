"""Write the "Try an example" files of the certificate check: python -m smimecenter.tools.examples.build

The files are committed, so every visitor checks the same certificates; run this again only to change them
(they are valid from 1 January 2026 to 1 January 2036). The private keys live only while this runs: the
examples hold public certificates and one signed message, never a key.

- example-root.pem: the examples' own root, given as trusted for the example's check only;
- good-chain.pem: a mailbox certificate and the intermediate that issued it;
- missing-intermediate.pem: the same mailbox certificate without its intermediate;
- tampered-message.eml: a message signed with that certificate, changed after it was signed.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HERE = Path(__file__).resolve().parent
START = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
ADDRESS = "alex@example.com"
# RFC 6761 6.4: ".invalid" never resolves, so a site with online checks on fetches nothing for the examples.
ISSUER_URL = "http://ca.example.invalid/example-issuing-ca.cer"
CRL_URL = "http://ca.example.invalid/example-issuing-ca.crl"
ORIGINAL = b"Hello Sam,\r\n\r\nthe invoice is attached. Please pay 120 EUR by Friday.\r\n\r\nAlex\r\n"
CHANGED = ORIGINAL.replace(b"120 EUR", b"920 EUR")


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "SMIME Center Examples"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=not ca, content_commitment=False, key_encipherment=not ca,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


def _certificate(subject: x509.Name, key, issuer: x509.Name, issuer_key, *, years: int, ca: bool,
                 path_length: int | None = None, leaf_email: str | None = None) -> x509.Certificate:
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(START).not_valid_after(START.replace(year=START.year + years))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
               .add_extension(_key_usage(ca=ca), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if issuer_key is not key:  # RFC 5280 4.2.1.1: every certificate but a self-signed root names its issuer's key
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    if leaf_email or path_length is not None:  # S/MIME BR 7.1.2.2 and 7.1.2.3: emailProtection below the root
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
    if leaf_email:
        builder = (builder
                   .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(leaf_email)]), critical=False)
                   .add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
                       x509.AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(ISSUER_URL))]),
                       critical=False)
                   .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                       [x509.UniformResourceIdentifier(CRL_URL)], None, None, None)]), critical=False))
    return builder.sign(issuer_key, hashes.SHA256())


def build() -> dict[str, bytes]:
    root_key, issuing_key, leaf_key = (rsa.generate_private_key(public_exponent=65537, key_size=2048)
                                       for _ in range(3))
    root_name, issuing_name = _name("SMIME Center Example Root"), _name("SMIME Center Example Issuing CA")
    root = _certificate(root_name, root_key, root_name, root_key, years=20, ca=True)
    issuing = _certificate(issuing_name, issuing_key, root_name, root_key, years=15, ca=True, path_length=0)
    leaf = _certificate(_name("Alex Example"), leaf_key, issuing_name, issuing_key, years=10, ca=False,
                        leaf_email=ADDRESS)
    body = b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + ORIGINAL
    signed = (pkcs7.PKCS7SignatureBuilder().set_data(body).add_signer(leaf, leaf_key, hashes.SHA256())
              .add_certificate(issuing).sign(serialization.Encoding.SMIME, [pkcs7.PKCS7Options.DetachedSignature]))
    headers = (f"From: Alex Example <{ADDRESS}>\r\nTo: Sam Example <sam@example.com>\r\n"
               "Subject: Invoice 2026-014\r\nDate: Mon, 2 Mar 2026 09:30:00 +0000\r\n").encode("ascii")
    tampered = headers + signed.replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n").replace(ORIGINAL, CHANGED)
    pem = serialization.Encoding.PEM
    return {
        "example-root.pem": root.public_bytes(pem),
        "good-chain.pem": leaf.public_bytes(pem) + issuing.public_bytes(pem),
        "missing-intermediate.pem": leaf.public_bytes(pem),
        "tampered-message.eml": tampered,
    }


if __name__ == "__main__":
    for name, data in build().items():
        (HERE / name).write_bytes(data)
        print(f"wrote {name} ({len(data)} bytes)")
