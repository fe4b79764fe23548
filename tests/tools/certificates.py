"""Certificates and files for the page, API and browser tests, built once per test session."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

from tests.diagnostics.builders import (
    NOW,
    Chain,
    Issued,
    make_certificate,
    make_chain,
    make_intermediate,
    make_leaf,
    make_root,
    pem,
    pkcs12_bytes,
)

P12_PASSWORD = "correct horse battery staple 7!"
MAIL_HEADERS = b"From: Alice Example <alice@example.com>\r\nTo: bob@example.org\r\nSubject: Lunch\r\n"
MAIL_BODY = b"Content-Type: text/plain; charset=utf-8\r\n\r\nHello Bob,\r\nlunch at noon?\r\n"

# Everything a certificate's author could use to attack the page that shows it.
HOSTILE_CN = "<script>alert('cn')</script>\x07\x1b[31m\u202etxt.exe"
HOSTILE_EMAIL = "<img src=x onerror=alert(1)>@example.com"
HOSTILE_URL = "javascript:alert(document.cookie)"
HOSTILE_POLICY_TEXT = "<iframe src=javascript:alert(2)></iframe>\x00\x08"


@dataclass(frozen=True)
class Material:
    chain: Chain
    expired_leaf: Issued
    p12: bytes
    signed_email: bytes
    hostile: Issued

    @property
    def three_pem(self) -> bytes:
        """Leaf, intermediate and root: a whole chain, as a person might paste it."""
        return pem(self.chain.leaf, self.chain.intermediate, self.chain.root)


@cache
def material() -> Material:
    chain = make_chain()
    expired = make_leaf(issuer=chain.intermediate, not_before=NOW - dt.timedelta(days=400),
                        not_after=NOW - dt.timedelta(days=30))
    p12 = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, extra=[chain.intermediate],
                       password=P12_PASSWORD.encode())
    return Material(chain=chain, expired_leaf=expired, p12=p12, signed_email=signed_email(chain),
                    hostile=hostile_leaf(chain.intermediate))


def signed_email(chain: Chain) -> bytes:
    smime = (pkcs7.PKCS7SignatureBuilder().set_data(MAIL_BODY)
             .add_signer(chain.leaf.certificate, chain.leaf.key, hashes.SHA256())
             .add_certificate(chain.intermediate.certificate)
             .sign(serialization.Encoding.SMIME, [pkcs7.PKCS7Options.DetachedSignature]))
    return MAIL_HEADERS + smime


def hostile_leaf(issuer: Issued) -> Issued:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOSTILE_CN),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, '"><svg onload=alert(3)>')])
    policy = x509.PolicyInformation(x509.ObjectIdentifier("2.23.140.1.5.1.2"),
                                    [x509.UserNotice(None, HOSTILE_POLICY_TEXT), HOSTILE_URL])
    # A real CA would refuse these values; a hostile or careless one need not, so build them unchecked.
    san = x509.SubjectAlternativeName([
        x509.RFC822Name._init_without_validation(HOSTILE_EMAIL),
        x509.UniformResourceIdentifier(HOSTILE_URL),
    ])
    return make_certificate(
        subject=subject, issuer=issuer, eku=None,
        key_usage={"digital_signature", "key_encipherment"},
        aia_ca_issuers=HOSTILE_URL, ocsp=HOSTILE_URL, crl="javascript:alert(4)",
        extra_extensions=[(x509.CertificatePolicies([policy]), False), (san, False)],
    )


def other_root() -> Issued:
    return make_root(common_name="Somebody Else's Root")


__all__ = ["HOSTILE_CN", "HOSTILE_EMAIL", "HOSTILE_POLICY_TEXT", "HOSTILE_URL", "MAIL_HEADERS", "Material",
           "P12_PASSWORD", "make_intermediate", "material", "other_root", "pem"]
