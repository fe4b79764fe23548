"""Every SignerInfo is read and judged: attributes we cannot decode, several signers, weak digests,
future signing times, empty digestAlgorithms and S/MIME layers inside one another."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives.serialization import pkcs7

from smimecenter.diagnostics import diagnose
from smimecenter.diagnostics.inputs import read_inputs

from .builders import ec_key, make_chain, make_leaf
from .cms_builders import (
    BODY, ESS_SECURITY_LABEL, MICROSOFT_KEY_PREFERENCE, attribute, changed, detached_email,
    issuer_and_serial, opaque_entity, security_label, signed_der,
)

NOW = dt.datetime.now(dt.timezone.utc)


@pytest.fixture(scope="module")
def chain():
    return make_chain()


def codes(report) -> list[str]:
    return [f.code for f in report.findings]


def test_microsofts_key_preference_attribute_does_not_hide_the_signature(chain):
    # Thunderbird and Outlook add it to every signature; asn1crypto cannot decode its value
    der = changed(signed_der(chain.leaf), chain.leaf,
                  extra_attributes=[attribute(MICROSOFT_KEY_PREFERENCE, issuer_and_serial(chain.leaf))])
    [message] = read_inputs([detached_email(der)]).messages
    assert (message.content_intact, message.signature_valid) == (True, True)
    assert message.signer == chain.leaf.certificate
    named = {a.oid: a.name for a in message.signed_attributes}
    assert named[MICROSOFT_KEY_PREFERENCE] == "Microsoft encryption key preference"


def test_an_ess_security_label_is_named_and_kept(chain):
    # RFC 4134 example 4.10 carries one; it used to sink the whole message
    der = changed(signed_der(chain.leaf), chain.leaf,
                  extra_attributes=[attribute(ESS_SECURITY_LABEL, security_label())])
    report = diagnose([detached_email(der)], trust=[chain.root_pem])
    assert "message.signature_valid" in codes(report)
    assert {"oid": ESS_SECURITY_LABEL, "name": "ESS security label"} in report.messages[0]["signed_attributes"]
    assert "message.unknown_attribute" not in codes(report)


def test_an_attribute_of_an_unknown_type_is_named_by_its_oid(chain):
    strange = attribute("1.3.6.1.4.1.99999.42", b"\xa5\x03\x02\x01\x07")
    der = changed(signed_der(chain.leaf), chain.leaf, extra_attributes=[strange])
    report = diagnose([detached_email(der)], trust=[chain.root_pem])
    assert "message.signature_valid" in codes(report)
    [note] = [f for f in report.findings if f.code == "message.unknown_attribute"]
    assert "1.3.6.1.4.1.99999.42" in note.explanation
    assert note.severity.value == "info"


def test_a_signature_with_known_attributes_only_has_no_unknown_attribute_note(chain):
    report = diagnose([detached_email(signed_der(chain.leaf))], trust=[chain.root_pem])
    assert "message.unknown_attribute" not in codes(report)
    names = [a["name"] for a in report.messages[0]["signed_attributes"]]
    assert {"content type", "signing time", "message digest"} <= set(names)


def test_every_signer_is_checked_not_only_the_first(chain):
    second = make_leaf(issuer=chain.intermediate, email="carol@example.com", key=ec_key())
    impostor = make_leaf(issuer=chain.intermediate, email="mallory@example.com", key=ec_key())
    der = signed_der(chain.leaf, second)
    # DER sorts the SignerInfos, so the second one may be either signer's; an impostor's key breaks it
    forged = changed(der, impostor, index=1)
    messages = read_inputs([detached_email(forged)]).messages
    assert [(m.signer_number, m.signer_count) for m in messages] == [(1, 2), (2, 2)]
    assert [m.signature_valid for m in messages] == [True, False]
    assert {m.signer for m in messages} == {chain.leaf.certificate, second.certificate}
    report = diagnose([detached_email(forged)], trust=[chain.root_pem])
    assert {"message.signature_valid", "message.signature_invalid"} <= set(codes(report))
    assert any("signer 2 of 2" in f.explanation for f in report.findings if f.code == "message.signature_invalid")


def test_two_good_signers_are_both_valid(chain):
    second = make_leaf(issuer=chain.intermediate, email="carol@example.com")
    messages = read_inputs([detached_email(signed_der(chain.leaf, second))]).messages
    assert [(m.content_intact, m.signature_valid) for m in messages] == [(True, True), (True, True)]


@pytest.mark.parametrize("digest", ["sha1", "md5"])
def test_a_sha1_or_md5_message_digest_is_reported_like_a_sha1_certificate(chain, digest):
    der = changed(signed_der(chain.leaf), chain.leaf, digest=digest)
    report = diagnose([detached_email(der)], trust=[chain.root_pem])
    assert "message.signature_valid" in codes(report)  # verified: weak, not tampered
    weak = [f for f in report.findings if f.code == "message.weak_digest"]
    assert weak and weak[0].severity.value == "error"
    assert digest.upper().replace("SHA", "SHA-") in weak[0].explanation


def test_a_sha256_message_digest_is_not_weak(chain):
    report = diagnose([detached_email(signed_der(chain.leaf))], trust=[chain.root_pem])
    assert "message.weak_digest" not in codes(report)


def test_a_signing_time_after_the_check_is_reported(chain):
    later = (NOW + dt.timedelta(days=3)).replace(microsecond=0)
    der = changed(signed_der(chain.leaf), chain.leaf, signing_time=later)
    report = diagnose([detached_email(der)], trust=[chain.root_pem])
    [future] = [f for f in report.findings if f.code == "message.signing_time_in_future"]
    assert str(later.year) in future.explanation


def test_a_signing_time_before_the_check_is_not_reported(chain):
    report = diagnose([detached_email(signed_der(chain.leaf))], trust=[chain.root_pem],
                      at=NOW + dt.timedelta(hours=1))
    assert report.messages[0]["signing_time"] is not None
    assert "message.signing_time_in_future" not in codes(report)


def test_an_empty_digest_algorithms_set_is_reported(chain):
    der = changed(signed_der(chain.leaf), chain.leaf, digest_algorithms=[])
    report = diagnose([detached_email(der)], trust=[chain.root_pem])
    assert report.messages[0]["digest_algorithms"] == []
    assert "message.digest_algorithms_empty" in codes(report)
    assert "message.signature_valid" in codes(report)


def test_a_listed_digest_algorithm_is_not_reported(chain):
    report = diagnose([detached_email(signed_der(chain.leaf))], trust=[chain.root_pem])
    assert report.messages[0]["digest_algorithms"] == ["sha256"]
    assert "message.digest_algorithms_empty" not in codes(report)


def test_a_signature_around_a_signed_message_is_explained_as_two_layers(chain):
    dave = make_leaf(issuer=chain.intermediate, email="dave@example.com")
    inner = detached_email(signed_der(chain.leaf)).split(b"MIME-Version: 1.0\r\n", 1)[1]
    outer = detached_email(signed_der(dave, content=inner), content=inner, sender="dave@example.com")
    report = diagnose([outer], trust=[chain.root_pem])
    [layers] = [f for f in report.findings if f.code == "message.layers"]
    assert "inside it, a detached signature" in layers.explanation
    assert "encrypted" not in layers.explanation
    assert [m["layer"] for m in report.messages] == [1, 2]
    assert codes(report).count("message.signature_valid") == 2


def test_an_encrypted_part_inside_a_signature_is_explained(chain):
    bob = make_leaf(issuer=chain.intermediate, email="bob@example.org")
    encrypted = (pkcs7.PKCS7EnvelopeBuilder().set_data(BODY).add_recipient(bob.certificate)
                 .encrypt(pkcs7.serialization.Encoding.DER, []))
    inner = opaque_entity(encrypted, "enveloped-data")
    report = diagnose([detached_email(signed_der(chain.leaf, content=inner), content=inner)],
                      trust=[chain.root_pem])
    assert "message.signature_valid" in codes(report)
    [layers] = [f for f in report.findings if f.code == "message.layers"]
    assert "inside it, an encrypted part" in layers.explanation
    unreadable = [f for f in report.findings if f.code == "input.unreadable"]
    assert unreadable and "encrypted and then signed" in unreadable[0].explanation


def test_an_opaque_signature_inside_a_detached_one_is_two_layers(chain):
    dave = make_leaf(issuer=chain.intermediate, email="dave@example.com")
    inner = opaque_entity(signed_der(chain.leaf, detached=False))
    outer = detached_email(signed_der(dave, content=inner), content=inner, sender="dave@example.com")
    messages = read_inputs([outer]).messages
    assert [(m.kind, m.layer, m.signature_valid) for m in messages] == [
        ("multipart/signed", 1, True), ("application/pkcs7-mime", 2, True)]


def test_a_single_signature_is_not_called_layered(chain):
    report = diagnose([detached_email(signed_der(chain.leaf))], trust=[chain.root_pem])
    assert "message.layers" not in codes(report)
    assert report.messages[0]["layer"] == 1


def test_a_signature_with_thousands_of_attributes_is_answered_quickly_and_not_trusted(chain):
    import time

    crowd = [attribute("1.3.6.1.4.1.99999.1", b"\x05\x00")] * 20000
    der = changed(signed_der(chain.leaf), chain.leaf, extra_attributes=crowd)
    started = time.perf_counter()
    [message] = read_inputs([detached_email(der)]).messages
    assert time.perf_counter() - started < 5
    assert (message.signature_valid, message.content_intact) == (None, None)
    assert "signed attributes, more than the 64 this tool reads" in message.problem


def test_a_content_type_attribute_that_names_other_content_fails(chain):
    # signed as if over SignedData (1.2.840.113549.1.7.2) while the signature carries plain data
    der = changed(signed_der(chain.leaf), chain.leaf, content_type="1.2.840.113549.1.7.2")
    [message] = read_inputs([detached_email(der)]).messages
    assert message.signature_valid is False
    assert "content-type attribute does not name the content" in message.problem


def test_a_content_type_attribute_that_names_the_content_passes(chain):
    der = changed(signed_der(chain.leaf), chain.leaf, content_type="1.2.840.113549.1.7.1")
    [message] = read_inputs([detached_email(der)]).messages
    assert (message.signature_valid, message.content_intact) == (True, True)


def test_an_encrypted_message_says_its_signature_is_likely_inside(chain):
    encrypted = (pkcs7.PKCS7EnvelopeBuilder().set_data(BODY).add_recipient(chain.leaf.certificate)
                 .encrypt(pkcs7.serialization.Encoding.DER, []))
    message = b"From: Alice <alice@example.com>\r\nMIME-Version: 1.0\r\n" + opaque_entity(encrypted, "enveloped-data")
    report = diagnose([message])
    [unreadable] = [f for f in report.findings if f.code == "input.unreadable"]
    assert "usually sign before they encrypt" in unreadable.explanation
    assert "message.layers" not in [f.code for f in report.findings]  # one layer: nothing nested to explain
