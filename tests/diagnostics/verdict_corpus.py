"""The inputs the verdict is tested on: one case per person of issue 11, and the suites the engine runs.

`CASES` are everyday inputs with the verdict they must get; each is a plain list of files, a password
and trust anchors, so the same case runs through the engine, the API, the command line and the web
page (tests/tools/test_verdict_channels.py). Add a case by appending a `VerdictCase` to `_built()`.
`corpus()` adds every PKITS and x509-limbo case and the real Thunderbird messages, for the agreement
test (test_verdict_agreement.py), which needs no expected verdict: only that no part contradicts it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import ExtendedKeyUsageOID

from .builders import NOW, make_chain, make_csr, make_leaf, make_root, pem, pkcs12_bytes, private_key_pem
from .cms_builders import changed, detached_email, signed_der

MAIL_BODY = b"Content-Type: text/plain; charset=utf-8\r\n\r\nHello Bob,\r\nthe invoice is attached.\r\n"
P12_PASSWORD = "right horse battery 9"
SMIME_DATA = Path(__file__).resolve().parent.parent / "data" / "smime"


@dataclass(frozen=True)
class VerdictCase:
    name: str
    inputs: tuple[tuple[str, bytes], ...]  # (file name, bytes)
    password: str | None = None
    trust: tuple[bytes, ...] = ()
    email: str | None = None
    at: dt.datetime | None = None
    # What the verdict must be (None: only the agreement of the parts is checked).
    question: str | None = None
    state: str | None = None
    headline_key: str | None = None
    first_code: str | None = None
    codes: tuple[str, ...] = field(default=())  # codes that must be among the findings


def signed_message(chain, *, body: bytes = MAIL_BODY, sender: str = "alice@example.com") -> bytes:
    signed = (pkcs7.PKCS7SignatureBuilder().set_data(body)
              .add_signer(chain.leaf.certificate, chain.leaf.key, hashes.SHA256())
              .add_certificate(chain.intermediate.certificate)
              .sign(serialization.Encoding.SMIME, [pkcs7.PKCS7Options.DetachedSignature]))
    return (f"From: Alice <{sender}>\r\nTo: bob@example.org\r\nSubject: Invoice\r\n"
            "MIME-Version: 1.0\r\n").encode() + signed


@cache
def cases() -> tuple[VerdictCase, ...]:
    return tuple(_built())


def case(name: str) -> VerdictCase:
    return next(c for c in cases() if c.name == name)


def _built() -> Iterator[VerdictCase]:
    chain = make_chain()
    root = (chain.root.pem,)
    yield VerdictCase("own certificate under the organisation's root", (("chain.pem", chain.supplied_pem),),
                      trust=root, email="alice@example.com", question="own_certificate", state="works",
                      headline_key="own.works_with_installed_root", first_code="chain.trusted")
    yield VerdictCase("own certificate without its intermediate", (("leaf.pem", pem(chain.leaf)),),
                      trust=root, question="own_certificate", state="does_not_work",
                      headline_key="own.does_not_work", first_code="chain.missing_intermediate")
    expired = make_leaf(issuer=chain.intermediate, not_before=NOW - dt.timedelta(days=400),
                        not_after=NOW - dt.timedelta(days=30))
    yield VerdictCase("expired certificate", (("expired.pem", pem(expired, chain.intermediate)),), trust=root,
                      question="own_certificate", state="does_not_work", headline_key="own.does_not_work",
                      first_code="validity.expired")
    tls = make_leaf(issuer=chain.intermediate, email="", common_name="www.example.com",
                    eku=(ExtendedKeyUsageOID.SERVER_AUTH,),
                    extra_extensions=[(x509.SubjectAlternativeName([x509.DNSName("www.example.com")]), False)])
    yield VerdictCase("website certificate pasted by mistake", (("site.pem", pem(tls)),),
                      question="own_certificate", state="does_not_work", headline_key="own.wrong_kind.website",
                      first_code="usage.not_for_email")
    yield VerdictCase("private key pasted alone", (("key.pem", private_key_pem(chain.leaf.key)),),
                      question="unknown", state="could_not_check", headline_key="could_not_check.private_key_only",
                      first_code="input.private_key_present")
    yield VerdictCase("private key pasted with its certificate",
                      (("both.pem", private_key_pem(chain.leaf.key) + chain.supplied_pem),), trust=root,
                      question="own_certificate", state="does_not_work", headline_key="own.private_key_exposed",
                      first_code="input.private_key_present")
    p12 = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, extra=[chain.intermediate],
                       password=P12_PASSWORD.encode())
    yield VerdictCase(".p12 with the wrong password", (("alice.p12", p12),), password="not it",
                      question="own_certificate", state="could_not_check",
                      headline_key="could_not_check.wrong_password", first_code="pkcs12.wrong_password")
    yield VerdictCase(".p12 without its password", (("alice.p12", p12),),
                      question="own_certificate", state="could_not_check",
                      headline_key="could_not_check.password_required", first_code="pkcs12.password_required")
    yield VerdictCase(".p12 with the right password", (("alice.p12", p12),), password=P12_PASSWORD, trust=root,
                      question="own_certificate", state="works", headline_key="own.works_with_installed_root")
    message = signed_message(chain)
    yield VerdictCase("received message, good", (("invoice.eml", message),), trust=root,
                      question="received_message", state="works",
                      headline_key="message.genuine_with_installed_root", codes=("message.signature_valid",))
    yield VerdictCase("received message, changed after signing",
                      (("invoice.eml", message.replace(b"invoice is attached", b"invoice is paid")),),
                      trust=root, question="received_message", state="does_not_work",
                      headline_key="message.changed", first_code="message.signature_invalid")
    sha1 = detached_email(changed(signed_der(chain.leaf, chain=[chain.intermediate]), chain.leaf, digest="sha1"))
    yield VerdictCase("received message signed with SHA-1", (("old.eml", sha1),),
                      trust=root, question="received_message", state="does_not_work",
                      headline_key="message.weak_signature", first_code="message.weak_digest")
    yield VerdictCase("received message claiming another sender",
                      (("boss.eml", signed_message(chain, sender="boss@example.com")),), trust=root,
                      question="received_message", state="does_not_work", headline_key="message.not_from_sender",
                      first_code="identity.email_mismatch")
    # The signer and its intermediate came with the message, the root did not and looks like the
    # sender's organisation's own: the verdict asks for that root (chain.private_root_not_supplied).
    yield VerdictCase("received message, sender's root not supplied", (("invoice.eml", message),),
                      question="received_message", state="does_not_work",
                      headline_key="message.private_root_not_supplied",
                      first_code="chain.private_root_not_supplied")
    yield VerdictCase("intermediate and root only", (("cas.pem", pem(chain.intermediate)),), trust=root,
                      question="ca_chain", state="works", headline_key="ca.trusted_with_installed_root")
    yield VerdictCase("a root nobody trusts", (("root.pem", pem(make_root(common_name="Lonely Root"))),),
                      question="ca_chain")
    yield VerdictCase("certificate request", (("request.csr", make_csr().public_bytes(serialization.Encoding.PEM)),),
                      question="csr", state="could_not_check", headline_key="could_not_check.csr",
                      first_code="input.csr_not_certificate")
    yield VerdictCase("plain text", (("notes.txt", b"Dear IT, my certificate does not work.\n"),),
                      question="unknown", state="could_not_check", headline_key="could_not_check.nothing_readable")
    yield VerdictCase("unsigned email", (("plain.eml", b"From: a@example.com\r\nSubject: hi\r\n"
                                                      b"Content-Type: text/plain\r\n\r\nhello\r\n"),),
                      state="could_not_check")
    yield VerdictCase("real Thunderbird message", (("alice.eml", (SMIME_DATA / "thunderbird-alice-detached-"
                                                                              "sha256.eml").read_bytes()),),
                      question="received_message", at=dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc))
    yield VerdictCase("real Thunderbird message signed twice",
                      (("two.eml", (SMIME_DATA / "thunderbird-alice-then-dave-two-signatures.eml").read_bytes()),),
                      question="received_message", at=dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc))


def suite_cases() -> Iterator[VerdictCase]:
    """Every PKITS and x509-limbo case as a person would paste it: leaf and intermediates, anchors as trust."""
    from .suites import all_cases

    for suite in all_cases():
        supplied = b"".join(_pem(d) for d in (suite.leaf_der, *suite.intermediates_der))
        yield VerdictCase(suite.name, (("chain.pem", supplied),),
                          trust=(b"".join(_pem(d) for d in suite.anchors_der),), at=suite.at)


def _pem(der: bytes) -> bytes:
    import base64
    import textwrap

    body = "\n".join(textwrap.wrap(base64.b64encode(der).decode("ascii"), 64))
    return f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n".encode("ascii")
