"""message.* findings, and the signer checked against the From address of the message."""
from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7

from smimecenter.diagnostics import diagnose

from .builders import make_chain
from .test_checks_chain import finding

BODY = b"Content-Type: text/plain\r\n\r\nSee you at ten.\r\n"


def signed_email(chain, *, sender: str = "alice@example.com") -> bytes:
    signed = (pkcs7.PKCS7SignatureBuilder().set_data(BODY)
              .add_signer(chain.leaf.certificate, chain.leaf.key, hashes.SHA256())
              .add_certificate(chain.intermediate.certificate)
              .sign(Encoding.SMIME, [pkcs7.PKCS7Options.DetachedSignature]))
    return (f"From: Sender <{sender}>\r\nTo: bob@example.org\r\nSubject: Meeting\r\n"
            "MIME-Version: 1.0\r\n").encode() + signed


def test_it_reports_a_valid_signature_and_the_signer_chain():
    chain = make_chain()
    report = diagnose([signed_email(chain)], trust=[chain.root_pem])
    assert finding(report, "message.signature_valid").certificate == chain.leaf.sha256
    assert report.chain[0] == chain.leaf.sha256
    assert report.messages[0]["signature_valid"] is True
    assert report.status == "pass"


def test_it_reports_a_message_changed_after_signing():
    chain = make_chain()
    tampered = signed_email(chain).replace(b"at ten", b"at six")
    report = diagnose([tampered], trust=[chain.root_pem])
    assert "changed" in finding(report, "message.signature_invalid").explanation
    assert "message.signature_valid" not in report.codes


def test_it_checks_the_signer_against_the_from_address():
    chain = make_chain(email="alice@example.com")
    report = diagnose([signed_email(chain, sender="mallory@example.com")], trust=[chain.root_pem])
    mismatch = finding(report, "identity.email_mismatch")
    assert "mallory@example.com" in mismatch.explanation and "From address" in mismatch.explanation


def test_a_matching_from_address_is_no_mismatch():
    chain = make_chain(email="alice@example.com")
    report = diagnose([signed_email(chain, sender="alice@EXAMPLE.com")], trust=[chain.root_pem])
    assert "identity.email_mismatch" not in report.codes


def test_it_says_when_a_message_is_not_signed():
    report = diagnose([b"From: a@example.com\r\nSubject: x\r\nContent-Type: text/plain\r\n\r\nhi\r\n"])
    assert finding(report, "message.not_signed").severity.value == "warning"


def test_a_plain_certificate_is_not_called_an_unsigned_message():
    chain = make_chain()
    assert "message.not_signed" not in diagnose([chain.supplied_pem]).codes


def test_it_warns_when_a_signature_could_not_be_checked():
    from smimecenter.diagnostics.engine import diagnose_parsed
    from smimecenter.diagnostics.inputs import ParsedInputs, SignedMessage
    from smimecenter.diagnostics.trust import email_trust_store

    message = SignedMessage(origin="the input", kind="p7s", from_address=None, signer=None,
                            certificates=(), content_intact=None, signature_valid=None,
                            digest_algorithm="sha256", signature_algorithm=None,
                            signing_time=None, problem="the signer's certificate is not included")
    store = email_trust_store()
    report = diagnose_parsed(ParsedInputs(messages=[message]), email=None, stores=[store],
                             public_store=store, at=None)
    unverified = finding(report, "message.signature_unverified")
    assert "not included" in unverified.explanation
    assert "message.signature_valid" not in report.codes
    assert "message.signature_unverified" not in diagnose([signed_email(make_chain())]).codes


def test_a_bare_signature_file_is_not_called_valid_without_its_content():
    chain = make_chain()
    p7s = (pkcs7.PKCS7SignatureBuilder().set_data(BODY)
           .add_signer(chain.leaf.certificate, chain.leaf.key, hashes.SHA256())
           .sign(Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature]))
    report = diagnose([p7s], trust=[chain.root_pem])
    assert "message.signature_valid" not in report.codes
    assert "not supplied" in finding(report, "message.signature_unverified").explanation
    # The signer's certificate is still diagnosed.
    assert report.chain[0] == chain.leaf.sha256
