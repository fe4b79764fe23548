"""Certificate bundles (.p7b/.p7c) and the limits that keep a hostile input cheap."""

from __future__ import annotations

import base64
import time

import pytest
from asn1crypto import cms as asn1_cms
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from smimecenter.diagnostics.inputs import Limits, read_inputs
from smimecenter.diagnostics.inputs import events as codes

from .builders import ec_key, make_chain, make_leaf, pem


@pytest.fixture(scope="module")
def chain():
    return make_chain()


def bundle(chain, encoding=serialization.Encoding.DER) -> bytes:
    return pkcs7.serialize_certificates([chain.leaf.certificate, chain.intermediate.certificate], encoding)


def test_it_reads_a_der_bundle(chain):
    parsed = read_inputs([bundle(chain)])
    assert {s.certificate for s in parsed.certificates} == {chain.leaf.certificate, chain.intermediate.certificate}
    assert {s.container for s in parsed.certificates} == {"pkcs7"}
    assert parsed.events == [] and parsed.messages == []


def test_it_reads_a_pem_bundle_labelled_pkcs7(chain):
    text = bundle(chain, serialization.Encoding.PEM)
    assert b"BEGIN PKCS7" in text
    assert len(read_inputs([text]).certificates) == 2


def test_it_reads_a_bundle_labelled_certificate(chain):
    text = b"-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(bundle(chain)) + b"-----END CERTIFICATE-----\n"
    parsed = read_inputs([text])
    assert [s.container for s in parsed.certificates] == ["pkcs7", "pkcs7"]


def test_it_reads_a_bundle_in_ber_with_indefinite_lengths(chain):
    """Some Windows tools write .p7b in BER; cryptography refuses it and asn1crypto reads it."""
    info = asn1_cms.ContentInfo.load(bundle(chain))
    certificates = b"".join(c.dump() for c in info["content"]["certificates"])
    signed = (b"\x30\x80" + b"\x02\x01\x01" + b"\x31\x00" + b"\x30\x0b\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01"
              + b"\xa0\x80" + certificates + b"\x00\x00" + b"\x31\x00" + b"\x00\x00")
    ber = b"\x30\x80\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02\xa0\x80" + signed + b"\x00\x00\x00\x00"
    parsed = read_inputs([ber])
    assert {s.certificate for s in parsed.certificates} == {chain.leaf.certificate, chain.intermediate.certificate}


def test_an_empty_bundle_is_named():
    data = pkcs7.serialize_certificates([make_leaf(issuer=None, key=ec_key()).certificate], serialization.Encoding.DER)
    info = asn1_cms.ContentInfo.load(data)
    info["content"]["certificates"] = []
    parsed = read_inputs([info.dump(force=True)])
    assert [e.code for e in parsed.events] == [codes.INPUT_UNREADABLE]
    assert parsed.events[0].details["kind"] == "empty PKCS#7 bundle"


def test_it_refuses_oversized_input_without_parsing_it(chain):
    huge = chain.leaf.pem * 2000
    assert len(huge) > 1_048_576
    started = time.perf_counter()
    parsed = read_inputs([huge])
    assert time.perf_counter() - started < 0.05
    assert parsed.certificates == []
    [event] = parsed.events
    assert event.code == codes.INPUT_TOO_LARGE
    assert event.details == {"size": len(huge), "limit": 1_048_576}


def test_the_size_limit_counts_all_inputs_together(chain):
    limits = Limits(max_input_bytes=len(chain.leaf.pem) * 2 - 1)
    parsed = read_inputs([chain.leaf.pem, chain.leaf.pem], limits=limits)
    assert [e.code for e in parsed.events] == [codes.INPUT_TOO_LARGE]
    assert len(read_inputs([chain.leaf.pem], limits=limits).certificates) == 1


def test_it_keeps_only_the_first_certificates_over_the_limit(chain):
    text = pem(chain.leaf, chain.intermediate, chain.root) * 3
    parsed = read_inputs([text], limits=Limits(max_certificates=4))
    assert [s.certificate for s in parsed.certificates] == [
        chain.leaf.certificate, chain.intermediate.certificate, chain.root.certificate, chain.leaf.certificate]
    [event] = parsed.events
    assert event.code == codes.INPUT_TOO_MANY_CERTIFICATES
    assert event.details == {"limit": 4, "kept": 4, "dropped": 5}


def test_the_certificate_limit_spans_inputs_and_containers(chain):
    parsed = read_inputs([chain.leaf.pem, pkcs7.serialize_certificates(
        [chain.intermediate.certificate, chain.root.certificate], serialization.Encoding.DER)],
        limits=Limits(max_certificates=2))
    assert len(parsed.certificates) == 2
    assert parsed.events[0].details["dropped"] == 1


def test_five_hundred_certificates_are_the_default_limit(chain):
    parsed = read_inputs([chain.root.pem * 501])
    assert len(parsed.certificates) == 500
    assert [e.code for e in parsed.events] == [codes.INPUT_TOO_MANY_CERTIFICATES]


@pytest.mark.parametrize("hostile", [
    b"-----BEGIN " * 90_000,
    b"-----BEGIN CERTIFICATE-----\n" * 30_000 + b"-----END CERTIFICATE-----",
    b"-----BEGIN X-----" + b"A" * 1_000_000,
    b"> " * 500_000,
    b"\x30\x80" * 400_000,
    b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=a\r\n\r\n" + b"--a\r\n" * 150_000,
    b"A" * 1_000_000,
])
def test_hostile_text_is_read_in_linear_time(hostile):
    started = time.perf_counter()
    parsed = read_inputs([hostile])
    assert time.perf_counter() - started < 2.0
    assert parsed.events


def test_a_flood_of_broken_blocks_yields_a_bounded_list_of_events():
    parsed = read_inputs([b"-----BEGIN CERTIFICATE-----\n" * 1000])
    assert len(parsed.events) == 50
    assert parsed.events[-1].details["more_like_this"] == 950
    assert "more_like_this" not in parsed.events[0].details
