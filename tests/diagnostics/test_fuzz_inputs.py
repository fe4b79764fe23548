"""Property-based tests: damaged and mutated inputs of every format never raise, never hang, never leak."""

from __future__ import annotations

import base64
import logging
import time

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smimecenter.diagnostics.inputs import ParsedInputs, read_inputs

from .builders import ec_key, make_chain, make_csr, make_leaf, pkcs12_bytes, private_key_pem

# caplog is cleared at each example, so sharing the function-scoped fixture is safe
FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
PER_INPUT_SECONDS = 0.5
PASSWORD = "Zq9-fuzz-pass"


def _samples() -> dict[str, bytes]:
    chain = make_chain(key=ec_key())
    leaf = chain.leaf
    signed = (pkcs7.PKCS7SignatureBuilder().set_data(b"Content-Type: text/plain\r\n\r\nhello\r\n")
              .add_signer(leaf.certificate, leaf.key, hashes.SHA256()))
    p7s = signed.sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
    return {
        "der": leaf.der,
        "pem": b"Dear support,\r\n> " + leaf.pem.replace(b"\n", b"\n> ") + chain.intermediate.pem,
        "pkcs7": pkcs7.serialize_certificates([leaf.certificate, chain.intermediate.certificate],
                                              serialization.Encoding.DER),
        "pkcs12": pkcs12_bytes(key=leaf.key, certificate=leaf, extra=[chain.intermediate],
                               password=PASSWORD.encode(), iterations=16),
        "pkcs12-legacy": pkcs12_bytes(key=leaf.key, certificate=leaf, password=PASSWORD.encode(), iterations=16,
                                      legacy=True),
        "message": b"From: alice@example.com\r\n" + signed.sign(serialization.Encoding.SMIME,
                                                               [pkcs7.PKCS7Options.DetachedSignature]),
        "p7s": p7s,
        "p7s-base64": base64.encodebytes(p7s),
        "opaque-message": b"From: alice@example.com\r\nMIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime;"
                          b" smime-type=signed-data\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                          + base64.encodebytes(signed.sign(serialization.Encoding.DER, [])),
        "pkcs7-pem": pkcs7.serialize_certificates([leaf.certificate], serialization.Encoding.PEM),
        "csr": make_csr(key=ec_key()).public_bytes(serialization.Encoding.DER),
        "key": private_key_pem(make_leaf(issuer=None, key=ec_key()).key),
    }


SAMPLES = _samples()
NAMES = sorted(SAMPLES)


def read_safely(data: bytes, caplog: pytest.LogCaptureFixture) -> ParsedInputs:
    caplog.clear()
    started = time.perf_counter()
    parsed = read_inputs([data], password=PASSWORD)
    elapsed = time.perf_counter() - started
    assert elapsed < PER_INPUT_SECONDS, elapsed
    assert isinstance(parsed, ParsedInputs)
    assert parsed.certificates or parsed.events or parsed.messages or parsed.pkcs12 or parsed.csrs
    # the reader's last-resort guard logs when one of its parts raised: that is a bug, not a damaged input
    assert not [r for r in caplog.records if r.name.startswith("smimecenter.diagnostics.inputs")]
    assert PASSWORD not in repr(parsed)
    return parsed


@pytest.mark.parametrize("name", NAMES)
def test_every_sample_reads_cleanly_as_made(name, caplog):
    parsed = read_safely(SAMPLES[name], caplog)
    if name not in ("csr", "key"):
        assert parsed.certificates


@FAST
@given(name=st.sampled_from(NAMES), cut=st.floats(min_value=0.0, max_value=1.0))
def test_truncated_inputs_never_raise(name, cut, caplog):
    data = SAMPLES[name]
    caplog.set_level(logging.WARNING)
    read_safely(data[: int(len(data) * cut)] or b" ", caplog)


@FAST
@given(name=st.sampled_from(NAMES),
       changes=st.lists(st.tuples(st.floats(min_value=0.0, max_value=1.0), st.integers(0, 255)),
                        min_size=1, max_size=8))
def test_mutated_inputs_never_raise(name, changes, caplog):
    data = bytearray(SAMPLES[name])
    for where, value in changes:
        data[min(int(where * len(data)), len(data) - 1)] = value
    caplog.set_level(logging.WARNING)
    read_safely(bytes(data), caplog)


@FAST
@given(name=st.sampled_from(NAMES), start=st.floats(0.0, 1.0), length=st.integers(1, 64),
       insert=st.binary(max_size=64))
def test_spliced_inputs_never_raise(name, start, length, insert, caplog):
    data = SAMPLES[name]
    at = int(start * len(data))
    caplog.set_level(logging.WARNING)
    read_safely(data[:at] + insert + data[at + length:] or b" ", caplog)


@FAST
@given(data=st.binary(max_size=2048))
def test_random_bytes_never_raise(data, caplog):
    caplog.set_level(logging.WARNING)
    parsed = read_inputs([data])
    assert isinstance(parsed, ParsedInputs)
    assert not [r for r in caplog.records if r.name.startswith("smimecenter.diagnostics.inputs")]


@FAST
@given(text=st.text(alphabet=st.sampled_from(list("-BEGIN CERTIFICATE END>:\r\n\tMIIAb=+/")), max_size=3000))
def test_pem_like_text_never_raises(text, caplog):
    caplog.set_level(logging.WARNING)
    parsed = read_inputs([text.encode()])
    assert isinstance(parsed, ParsedInputs)
    assert not [r for r in caplog.records if r.name.startswith("smimecenter.diagnostics.inputs")]
