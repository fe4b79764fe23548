"""PEM and DER certificates, and everything else a person might paste instead of a certificate."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization

from smimecenter.diagnostics.inputs import Limits, read_inputs
from smimecenter.diagnostics.inputs import events as codes

from .builders import der, ec_key, ed25519_key, make_chain, make_csr, make_leaf, pem, private_key_pem, rsa_key


@pytest.fixture(scope="module")
def chain():
    return make_chain()


def event_codes(parsed) -> list[str]:
    return [event.code for event in parsed.events]


def only_event(parsed, code: str):
    found = [event for event in parsed.events if event.code == code]
    assert len(found) == 1, parsed.events
    return found[0]


def test_it_reads_one_pem_certificate(chain):
    parsed = read_inputs([chain.leaf.pem])
    assert [s.certificate for s in parsed.certificates] == [chain.leaf.certificate]
    assert parsed.certificates[0].container == "pem"
    assert parsed.events == []


def test_it_reads_a_der_certificate(chain):
    parsed = read_inputs([der(chain.leaf)])
    assert [s.certificate for s in parsed.certificates] == [chain.leaf.certificate]
    assert parsed.certificates[0].container == "der"


def test_it_keeps_several_blocks_in_order_and_numbers_them(chain):
    parsed = read_inputs([pem(chain.leaf, chain.intermediate, chain.root)])
    assert [s.certificate for s in parsed.certificates] == [
        chain.leaf.certificate, chain.intermediate.certificate, chain.root.certificate]
    assert [s.origin for s in parsed.certificates] == [
        "the input, block 1", "the input, block 2", "the input, block 3"]


def test_it_keeps_duplicates(chain):
    parsed = read_inputs([pem(chain.leaf, chain.leaf)])
    assert len(parsed.certificates) == 2


def test_it_names_each_input_when_there_are_several(chain):
    parsed = read_inputs([chain.leaf.pem, der(chain.root)])
    assert [s.origin for s in parsed.certificates] == ["input 1", "input 2"]


def test_it_finds_pem_inside_an_email_with_crlf_and_quoting_at_any_depth(chain):
    quoted = b"".join(b"> >> > " + line + b"\r\n" for line in chain.leaf.pem.splitlines())
    indented = b"".join(b"        " + line + b"\r\n" for line in chain.intermediate.pem.splitlines())
    text = (b"Hi support,\r\n\r\nOn Monday Bob wrote:\r\n" + quoted + b"\r\nand the issuer:\r\n" + indented
            + b"\r\nThanks, Alice\r\n")
    parsed = read_inputs([text])
    assert [s.certificate for s in parsed.certificates] == [chain.leaf.certificate, chain.intermediate.certificate]
    assert parsed.events == []


def test_it_reads_pem_escaped_into_one_json_line(chain):
    escaped = chain.leaf.pem.decode().replace("\n", "\\n")
    parsed = read_inputs([('{"certificate": "' + escaped + '"}').encode()])
    assert [s.certificate for s in parsed.certificates] == [chain.leaf.certificate]


def test_it_reads_base64_without_armour_and_with_whitespace(chain):
    encoded = base64.encodebytes(der(chain.leaf))  # wrapped at 76 columns
    parsed = read_inputs([b"  " + encoded.replace(b"\n", b"\r\n   ")])
    assert [s.certificate for s in parsed.certificates] == [chain.leaf.certificate]


def test_it_reads_base64_of_a_pem_file(chain):
    parsed = read_inputs([base64.b64encode(chain.leaf.pem)])
    assert [s.certificate for s in parsed.certificates] == [chain.leaf.certificate]


def test_it_reads_a_utf16_text_file(chain):
    parsed = read_inputs([chain.leaf.pem.decode().encode("utf-16")])
    assert [s.certificate for s in parsed.certificates] == [chain.leaf.certificate]


def test_it_reports_a_cut_off_pem_block_and_still_reads_the_next(chain):
    cut = chain.leaf.pem[: len(chain.leaf.pem) // 2]
    parsed = read_inputs([cut + chain.intermediate.pem])
    assert [s.certificate for s in parsed.certificates] == [chain.intermediate.certificate]
    event = only_event(parsed, codes.INPUT_UNREADABLE)
    assert "cut off" in event.details["reason"]
    assert event.details["origin"] == "the input, block 1"


def test_it_reports_damaged_base64_inside_a_pem_block(chain):
    lines = chain.leaf.pem.splitlines()
    damaged = b"\n".join(lines[:1] + [lines[1][:-1]] + lines[2:]) + b"\n"
    parsed = read_inputs([damaged])
    assert parsed.certificates == []
    assert event_codes(parsed) == [codes.INPUT_UNREADABLE]


def test_it_names_a_csr_and_keeps_it():
    request = make_csr(email="carol@example.net")
    parsed = read_inputs([request.public_bytes(serialization.Encoding.PEM)])
    assert parsed.certificates == []
    assert parsed.csrs == [request]
    event = only_event(parsed, codes.INPUT_CSR_NOT_CERTIFICATE)
    assert event.details["emails"] == ["carol@example.net"]
    assert "carol@example.net" in event.details["subject"]


def test_it_names_a_der_csr():
    request = make_csr()
    parsed = read_inputs([request.public_bytes(serialization.Encoding.DER)])
    assert event_codes(parsed) == [codes.INPUT_CSR_NOT_CERTIFICATE]


@pytest.mark.parametrize("private_format, label", [
    (serialization.PrivateFormat.PKCS8, b"PRIVATE KEY"),
    (serialization.PrivateFormat.TraditionalOpenSSL, b"RSA PRIVATE KEY"),
])
def test_it_flags_an_rsa_private_key_without_echoing_it(private_format, label):
    key = rsa_key(2048)
    text = key.private_bytes(serialization.Encoding.PEM, private_format, serialization.NoEncryption())
    assert label in text
    parsed = read_inputs([text])
    event = only_event(parsed, codes.INPUT_PRIVATE_KEY_PRESENT)
    assert event.details["key_type"] == "RSA"
    assert event.details["key_size"] == 2048
    assert event.details["encrypted"] is False
    assert not any(part in repr(parsed) for part in text.decode().splitlines()[1:3])


def test_it_flags_an_ec_private_key_with_its_curve():
    key = ec_key()
    text = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption())
    event = only_event(read_inputs([text]), codes.INPUT_PRIVATE_KEY_PRESENT)
    assert (event.details["key_type"], event.details["curve"], event.details["key_size"]) == ("EC", "secp256r1", 256)


def test_it_flags_a_der_pkcs8_private_key():
    data = ed25519_key().private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption())
    event = only_event(read_inputs([data]), codes.INPUT_PRIVATE_KEY_PRESENT)
    assert event.details["key_type"] == "Ed25519"


def test_it_flags_an_encrypted_private_key_without_trying_to_open_it():
    text = ec_key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.BestAvailableEncryption(b"hunter2"))
    event = only_event(read_inputs([text], password="hunter2"), codes.INPUT_PRIVATE_KEY_PRESENT)
    assert event.details["key_type"] == "encrypted"
    assert event.details["encrypted"] is True
    assert "hunter2" not in repr(event)


def test_it_reads_the_certificate_next_to_a_pasted_key(chain):
    parsed = read_inputs([chain.leaf.pem + private_key_pem(chain.leaf.key)])
    assert [s.certificate for s in parsed.certificates] == [chain.leaf.certificate]
    assert event_codes(parsed) == [codes.INPUT_PRIVATE_KEY_PRESENT]


def test_it_names_an_ssh_public_key():
    key = ed25519_key().public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    event = only_event(read_inputs([key + b" alice@laptop\n"]), codes.INPUT_SSH_KEY)
    assert event.details == {"origin": "the input", "key_type": "ssh-ed25519", "private": False}


def test_it_names_an_openssh_private_key_and_warns_about_it():
    text = ed25519_key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                       serialization.NoEncryption())
    parsed = read_inputs([text])
    assert event_codes(parsed) == [codes.INPUT_SSH_KEY, codes.INPUT_PRIVATE_KEY_PRESENT]
    assert parsed.events[0].details["private"] is True


@pytest.mark.parametrize("label, private", [("PGP PUBLIC KEY BLOCK", False), ("PGP PRIVATE KEY BLOCK", True)])
def test_it_names_pgp_armour(label, private):
    text = f"-----BEGIN {label}-----\nVersion: x\n\nmQENBFzZ\n=abcd\n-----END {label}-----\n".encode()
    event = only_event(read_inputs([text]), codes.INPUT_PGP_KEY)
    assert event.details == {"origin": "the input", "armour": label, "private": private}


def test_it_names_a_bare_public_key():
    text = ec_key().public_key().public_bytes(serialization.Encoding.PEM,
                                              serialization.PublicFormat.SubjectPublicKeyInfo)
    event = only_event(read_inputs([text]), codes.INPUT_UNREADABLE)
    assert event.details["kind"] == "public key without a certificate"


@pytest.mark.parametrize("data, kind", [
    (b"<!DOCTYPE html><html><head><title>Login</title></head><body>x</body></html>", "HTML page"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00word/document.xml" + bytes(40), "Word document"),
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00notes.txt" + bytes(40), "ZIP archive"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj" + bytes(20), "PDF document"),
    (b"\x89PNG\r\n\x1a\n" + bytes(40), "PNG image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(40), "damaged Outlook message (.msg) or Office document"),
    (b"Hello, my certificate does not work in Outlook, can you help?", "text with no certificate"),
    (b"\x01\x02\x03\xff\xfe\x00\x10", "unknown binary data"),
])
def test_it_says_what_an_unusable_input_looks_like(data, kind):
    event = only_event(read_inputs([data]), codes.INPUT_UNREADABLE)
    assert event.details["kind"] == kind


def test_it_reports_a_damaged_der_certificate(chain):
    data = bytearray(der(chain.leaf))
    data[30:40] = bytes(10)
    parsed = read_inputs([bytes(data)])
    assert parsed.certificates == []
    assert event_codes(parsed) == [codes.INPUT_UNREADABLE]


@pytest.mark.parametrize("inputs, origin", [([], None), ([b""], "the input"), ([b" \r\n\t "], "the input")])
def test_it_reports_empty_input(inputs, origin):
    event = only_event(read_inputs(inputs), codes.INPUT_EMPTY)
    assert event.details["origin"] == origin


def test_it_reads_pem_with_an_openssl_trusted_certificate_label(chain):
    body = base64.encodebytes(der(chain.root) + bytes.fromhex("3000")).decode()
    text = f"-----BEGIN TRUSTED CERTIFICATE-----\n{body}-----END TRUSTED CERTIFICATE-----\n".encode()
    parsed = read_inputs([text])
    assert [s.certificate for s in parsed.certificates] == [chain.root.certificate]


def test_every_event_code_is_documented():
    for code in codes.ALL_CODES:
        assert code.count(".") == 1
    assert len(set(codes.ALL_CODES)) == 20


def test_the_defaults_of_the_limits_follow_the_contract():
    assert Limits() == Limits(max_input_bytes=1_048_576, max_certificates=500,
                              max_pkcs12_iterations=1_000_000, max_mime_depth=8)


def test_an_ec_leaf_reads_like_any_other():
    leaf = make_leaf(issuer=None, key=ec_key())
    assert [s.certificate for s in read_inputs([leaf.pem]).certificates] == [leaf.certificate]


def test_it_reads_a_der_certificate_followed_by_junk(chain):
    parsed = read_inputs([der(chain.leaf) + b"\x00\x01\x02junk appended by a tool\xff"])
    assert [s.certificate for s in parsed.certificates] == [chain.leaf.certificate]


def test_text_given_as_str_is_read_too(chain):
    parsed = read_inputs([chain.leaf.pem.decode()])  # type: ignore[list-item]
    assert [s.certificate for s in parsed.certificates] == [chain.leaf.certificate]


def test_it_reads_pem_pasted_from_a_web_page_with_tags_and_entities(chain):
    lines = chain.leaf.pem.decode().splitlines()
    block = "<br>\n".join(lines).replace("+", "&#43;")
    page = "<html><body><p>My certificate:</p><div>" + block + "</div></body></html>"
    parsed = read_inputs([page.encode()])
    assert [s.certificate for s in parsed.certificates] == [chain.leaf.certificate]
