"""Signed mail: multipart/signed, opaque pkcs7-mime, bare .p7s; the signature checked over the exact content."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from asn1crypto import cms as asn1_cms
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import pkcs7

from smimecenter.diagnostics.inputs import Limits, read_inputs
from smimecenter.diagnostics.inputs import events as codes

from .builders import ec_key, make_chain, make_leaf

HEADERS = b"From: Alice Example <alice@example.com>\r\nTo: bob@example.org\r\nSubject: Lunch\r\n"
BODY = b"Content-Type: text/plain; charset=utf-8\r\n\r\nHello Bob,\r\nlunch at noon?\r\n"


@pytest.fixture(scope="module")
def chain():
    return make_chain()


@pytest.fixture(scope="module")
def ec_leaf(chain):
    return make_leaf(issuer=chain.intermediate, key=ec_key())


def builder(signer, *, content: bytes = BODY, hash_algorithm=None, pss: bool = False, chain=None):
    built = pkcs7.PKCS7SignatureBuilder().set_data(content).add_signer(
        signer.certificate, signer.key, hash_algorithm or hashes.SHA256(),
        rsa_padding=padding.PSS(padding.MGF1(hashes.SHA256()), padding.PSS.DIGEST_LENGTH) if pss else None)
    for extra in chain or ():
        built = built.add_certificate(extra.certificate)
    return built


def detached_message(signer, **options) -> bytes:
    smime = builder(signer, **options).sign(serialization.Encoding.SMIME, [pkcs7.PKCS7Options.DetachedSignature])
    return HEADERS + smime


def detached_signature(signer, **options) -> bytes:
    return builder(signer, **options).sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])


def opaque_message(signer, **options) -> bytes:
    der = builder(signer, **options).sign(serialization.Encoding.DER, [])
    return (HEADERS + b"MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=signed-data;"
            b" name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(der))


def only_message(parsed):
    assert len(parsed.messages) == 1, (parsed.messages, parsed.events)
    return parsed.messages[0]


def with_signer_info(signature: bytes, change) -> bytes:
    info = asn1_cms.ContentInfo.load(signature)
    change(info["content"])
    return info.dump(force=True)


def test_it_verifies_a_detached_rsa_signature(chain):
    parsed = read_inputs([detached_message(chain.leaf, chain=[chain.intermediate])])
    message = only_message(parsed)
    assert message.kind == "multipart/signed"
    assert message.from_address == "alice@example.com"
    assert message.signer == chain.leaf.certificate
    # certificates is a SET OF in CMS (RFC 5652 5.1): DER sorts it, so order is not the signer's
    assert set(message.certificates) == {chain.leaf.certificate, chain.intermediate.certificate}
    assert (message.content_intact, message.signature_valid) == (True, True)
    assert message.digest_algorithm == "sha256"
    assert message.signature_algorithm == "RSA PKCS#1 v1.5"
    assert abs(message.signing_time - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert message.problem is None
    assert [(s.certificate, s.container) for s in parsed.certificates] == [
        (c, "signed-message") for c in message.certificates]
    assert parsed.events == []


def test_it_verifies_rsa_pss(chain):
    message = only_message(read_inputs([detached_message(chain.leaf, pss=True)]))
    assert message.signature_algorithm == "RSA-PSS"
    assert (message.content_intact, message.signature_valid) == (True, True)


def test_it_verifies_ecdsa_with_sha384(ec_leaf):
    message = only_message(read_inputs([detached_message(ec_leaf, hash_algorithm=hashes.SHA384())]))
    assert (message.signature_algorithm, message.digest_algorithm) == ("ECDSA", "sha384")
    assert (message.content_intact, message.signature_valid) == (True, True)


def test_a_tampered_message_is_not_intact(chain):
    tampered = detached_message(chain.leaf).replace(b"lunch at noon", b"lunch at nine")
    message = only_message(read_inputs([tampered]))
    assert message.content_intact is False
    assert message.signature_valid is True  # the signed attributes themselves are untouched
    assert "changed" in message.problem


def test_a_forged_signature_does_not_verify(chain):
    def flip(signed):
        value = bytearray(signed["signer_infos"][0]["signature"].native)
        value[10] ^= 0xFF
        signed["signer_infos"][0]["signature"] = bytes(value)

    signature = with_signer_info(detached_signature(chain.leaf), flip)
    parsed = read_inputs([signature])
    message = only_message(parsed)
    assert message.signature_valid is False
    assert "does not verify" in message.problem


def test_it_verifies_a_message_saved_with_unix_line_ends(chain):
    message = only_message(read_inputs([detached_message(chain.leaf).replace(b"\r\n", b"\n")]))
    assert (message.content_intact, message.signature_valid) == (True, True)


@pytest.mark.parametrize("content_type", [b"application/pkcs7-signature", b"application/x-pkcs7-signature"])
def test_it_accepts_both_signature_content_types(chain, content_type):
    data = detached_message(chain.leaf)
    data = data.replace(b"application/x-pkcs7-signature", content_type)
    message = only_message(read_inputs([data]))
    assert message.content_intact is True


def test_it_verifies_an_opaque_signed_message(chain):
    message = only_message(read_inputs([opaque_message(chain.leaf)]))
    assert message.kind == "application/pkcs7-mime"
    assert message.from_address == "alice@example.com"
    assert (message.content_intact, message.signature_valid) == (True, True)


def test_it_verifies_a_signature_without_signed_attributes(ec_leaf):
    smime = builder(ec_leaf).sign(serialization.Encoding.SMIME,
                                  [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.NoAttributes])
    message = only_message(read_inputs([HEADERS + smime]))
    assert (message.content_intact, message.signature_valid, message.signing_time) == (True, True, None)
    tampered = only_message(read_inputs([(HEADERS + smime).replace(b"noon", b"nine")]))
    # the signature covers the content directly: a change and a forgery look the same
    assert (tampered.content_intact, tampered.signature_valid) == (None, False)
    assert "changed" in tampered.problem


@pytest.mark.parametrize("encode", [lambda d: d, base64.encodebytes], ids=["der", "base64"])
def test_it_reads_a_bare_p7s_without_its_content(chain, encode):
    parsed = read_inputs([encode(detached_signature(chain.leaf))])
    message = only_message(parsed)
    assert message.kind == "p7s"
    assert message.from_address is None
    assert message.signer == chain.leaf.certificate
    assert message.content_intact is None
    assert message.signature_valid is True  # the signed attributes can be checked without the content
    assert "not supplied" in message.problem


def test_it_finds_the_signer_by_subject_key_identifier(chain):
    ski = chain.leaf.certificate.extensions.get_extension_for_class(
        __import__("cryptography").x509.SubjectKeyIdentifier).value.digest

    def by_key_id(signed):
        signed["signer_infos"][0]["sid"] = asn1_cms.SignerIdentifier({"subject_key_identifier": ski})

    message = only_message(read_inputs([with_signer_info(detached_signature(chain.leaf), by_key_id)]))
    assert message.signer == chain.leaf.certificate
    assert message.signature_valid is True


def test_it_says_when_the_signer_certificate_is_missing(chain):
    def strip(signed):
        leaf_der = chain.leaf.der
        signed["certificates"] = [c for c in signed["certificates"] if c.chosen.dump() != leaf_der]

    signature = with_signer_info(detached_signature(chain.leaf, chain=[chain.intermediate]), strip)
    message = only_message(read_inputs([signature]))
    assert message.signer is None
    assert message.signature_valid is None
    assert "not in the signature" in message.problem


def test_it_reports_an_unsigned_message():
    data = HEADERS + b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nNo signature here.\r\n"
    parsed = read_inputs([data])
    assert parsed.messages == []
    [event] = parsed.events
    assert event.code == codes.MESSAGE_NOT_SIGNED
    assert event.details == {"origin": "the input", "content_type": "text/plain",
                             "from_address": "alice@example.com"}


def test_it_says_an_encrypted_message_cannot_be_read(chain):
    smime = (pkcs7.PKCS7EnvelopeBuilder().set_data(b"secret").add_recipient(chain.leaf.certificate)
             .encrypt(serialization.Encoding.SMIME, []))
    parsed = read_inputs([HEADERS + smime])
    assert [e.code for e in parsed.events] == [codes.INPUT_UNREADABLE]
    assert parsed.events[0].details["kind"] == "encrypted message"


def test_it_reads_a_certificate_attached_to_an_unsigned_message(chain):
    data = (HEADERS + b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XYZ\r\n\r\n"
            b"--XYZ\r\nContent-Type: text/plain\r\n\r\nMy certificate is attached.\r\n"
            b"--XYZ\r\nContent-Type: application/pkix-cert; name=alice.cer\r\n"
            b"Content-Disposition: attachment; filename=alice.cer\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + base64.encodebytes(chain.leaf.der) + b"--XYZ--\r\n")
    parsed = read_inputs([data])
    assert [(s.certificate, s.origin) for s in parsed.certificates] == [
        (chain.leaf.certificate, "the input, attachment alice.cer")]
    assert [e.code for e in parsed.events] == [codes.MESSAGE_NOT_SIGNED]


def test_it_reads_a_signed_message_forwarded_as_an_attachment(chain):
    inner = detached_message(chain.leaf).replace(b"alice@example.com", b"alice@example.com", 1)
    data = (b"From: carol@example.net\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=OUT\r\n\r\n"
            b"--OUT\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n"
            b"--OUT\r\nContent-Type: message/rfc822\r\n\r\n" + inner + b"\r\n--OUT--\r\n")
    message = only_message(read_inputs([data]))
    assert message.from_address == "alice@example.com"
    assert (message.content_intact, message.signature_valid) == (True, True)


def test_it_stops_at_the_nesting_limit():
    body = b"Content-Type: text/plain\r\n\r\nhello\r\n"
    for level in range(12):
        boundary = f"b{level}".encode()
        body = (b"Content-Type: multipart/mixed; boundary=" + boundary + b"\r\n\r\n--" + boundary + b"\r\n"
                + body + b"\r\n--" + boundary + b"--\r\n")
    parsed = read_inputs([b"MIME-Version: 1.0\r\n" + body])
    deep = [e for e in parsed.events if e.code == codes.INPUT_TOO_DEEP]
    assert len(deep) == 1 and deep[0].details["limit"] == 8
    shallow = read_inputs([b"MIME-Version: 1.0\r\n" + body], limits=Limits(max_mime_depth=20))
    assert codes.INPUT_TOO_DEEP not in [e.code for e in shallow.events]


def test_a_signed_message_missing_its_signature_part_is_named():
    data = (HEADERS + b"MIME-Version: 1.0\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\";"
            b" boundary=S\r\n\r\n--S\r\nContent-Type: text/plain\r\n\r\nhello\r\n--S--\r\n")
    parsed = read_inputs([data])
    assert [e.code for e in parsed.events] == [codes.INPUT_UNREADABLE]
    assert parsed.events[0].details["kind"] == "damaged signed message"


def test_a_boundary_that_only_starts_like_ours_is_not_a_delimiter(chain):
    data = detached_message(chain.leaf)
    boundary = data.split(b'boundary="', 1)[1].split(b'"', 1)[0]
    trick = b"--" + boundary + b"x is not a delimiter\r\n"
    data = data.replace(b"lunch at noon?\r\n", b"lunch at noon?\r\n", 1)
    signed = builder(chain.leaf, content=BODY + trick).sign(serialization.Encoding.SMIME,
                                                            [pkcs7.PKCS7Options.DetachedSignature])
    message = only_message(read_inputs([HEADERS + signed]))
    assert message.content_intact is True


def test_it_reads_a_signature_saved_as_pem(chain):
    signature = detached_signature(chain.leaf)
    text = b"-----BEGIN PKCS7-----\n" + base64.encodebytes(signature) + b"-----END PKCS7-----\n"
    message = only_message(read_inputs([text]))
    assert (message.kind, message.signature_valid) == ("p7s", True)


def test_an_opaque_message_without_its_smime_type_is_still_read(chain):
    data = opaque_message(chain.leaf).replace(b" smime-type=signed-data;", b"")
    message = only_message(read_inputs([data]))
    assert (message.kind, message.content_intact) == ("application/pkcs7-mime", True)


def test_a_bare_opaque_p7m_file_is_verified_with_its_own_content(chain):
    der = builder(chain.leaf).sign(serialization.Encoding.DER, [])
    message = only_message(read_inputs([der]))
    assert (message.kind, message.content_intact, message.signature_valid) == ("application/pkcs7-mime", True, True)


def test_a_message_copied_with_leading_blank_lines_is_still_a_message(chain):
    message = only_message(read_inputs([b"\r\n\r\n" + detached_message(chain.leaf)]))
    assert (message.from_address, message.content_intact) == ("alice@example.com", True)


def test_a_pgp_mime_signed_message_is_named_as_openpgp():
    data = (HEADERS + b"MIME-Version: 1.0\r\nContent-Type: multipart/signed; micalg=pgp-sha256;"
            b" protocol=\"application/pgp-signature\"; boundary=P\r\n\r\n--P\r\nContent-Type: text/plain\r\n\r\n"
            b"hello\r\n--P\r\nContent-Type: application/pgp-signature\r\n\r\n-----BEGIN PGP SIGNATURE-----\r\n"
            b"iQEz\r\n-----END PGP SIGNATURE-----\r\n--P--\r\n")
    parsed = read_inputs([data])
    assert [(e.code, e.details["armour"]) for e in parsed.events] == [(codes.INPUT_PGP_KEY, "PGP/MIME signature")]
    assert parsed.messages == []


def test_it_reads_a_certificate_pasted_into_an_html_only_message(chain):
    body = b"<div>" + b"<br>".join(chain.leaf.pem.splitlines()) + b"</div>"
    data = (HEADERS + b"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(body))
    parsed = read_inputs([data])
    assert [(s.certificate, s.origin) for s in parsed.certificates] == [
        (chain.leaf.certificate, "the input, message text")]
