"""What a parser says about malformed data reaches the person in plain words; its own text stays in
the JSON (parser_message) for experts."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from smimecenter.diagnostics import diagnose
from smimecenter.diagnostics.parser_words import in_plain_words

from .builders import make_chain, next_rsa_key


@pytest.mark.parametrize("message, words", [
    ('error parsing asn1 value: ParseError { kind: InvalidValue, location: ["subject"] }',
     "the subject name holds a value that is not allowed there"),
    ('error parsing asn1 value: ParseError { kind: EncodedDefault, location: ["Certificate::tbs_cert", '
     '"TbsCertificate::raw_extensions", 1, "Extension::critical"] }',
     "the critical flag of extension 2 spells out a default value"),
    ('error parsing asn1 value: ParseError { kind: ExtraData, location: ["Certificate::tbs_cert", '
     '"TbsCertificate::raw_extensions", 3] }', "extension 4 has extra bytes after its end"),
    ('error parsing asn1 value: ParseError { kind: ShortData }', "its encoding ends before it should"),
    ("5 is not a valid X509 version", "its version number (5) is not one X.509 defines"),
    ("Duplicate 2.5.29.19 extension found", "the extension 2.5.29.19 twice"),
    ("encipher_only and decipher_only can only be true when key_agreement is true",
     "decipherOnly without keyAgreement"),
])
def test_parser_messages_become_plain_words(message, words):
    plain = in_plain_words(message)
    assert words in plain
    assert "ParseError" not in plain and "::" not in plain


def test_a_message_we_do_not_know_gets_a_general_sentence_not_the_raw_text():
    assert in_plain_words("BadThing(0x7f) at offset 12") == "its encoding does not follow the DER rules"


def damaged_subject() -> bytes:
    """A certificate whose country is a PrintableString holding '@', which PrintableString forbids."""
    key = next_rsa_key()
    now = dt.datetime.now(dt.timezone.utc)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "QZ"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "Alice")])
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Issuer")])
    built = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer).public_key(key.public_key())
             .serial_number(7).not_valid_before(now).not_valid_after(now + dt.timedelta(days=30))
             .sign(key, hashes.SHA256()).public_bytes(Encoding.DER))
    assert built.count(b"\x13\x02QZ") == 1
    return built.replace(b"\x13\x02QZ", b"\x13\x02Q@")


def test_a_damaged_certificate_is_explained_in_plain_words_with_the_parser_text_for_experts():
    report = diagnose([damaged_subject()])
    [unreadable] = [f for f in report.findings if f.code == "input.unreadable"]
    assert "PrintableString text of a name holds a value that is not allowed" in unreadable.explanation
    assert "ParseError" not in unreadable.explanation
    assert "ParseError { kind: InvalidValue" in unreadable.to_dict()["parser_message"]


def test_a_finding_without_a_parser_problem_has_no_parser_message():
    chain = make_chain()
    report = diagnose([chain.supplied_pem], trust=[chain.root_pem])
    assert all("parser_message" not in f.to_dict() for f in report.findings)
