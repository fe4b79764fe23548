"""Messages made by a mail app's S/MIME library, not by us (tests/data/smime/README.md says where from)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smimecenter.diagnostics import diagnose
from smimecenter.diagnostics.inputs import read_inputs

DATA = Path(__file__).resolve().parent.parent / "data" / "smime"
DETACHED = (DATA / "thunderbird-alice-detached-sha256.eml").read_bytes()
TWO_LAYERS = (DATA / "thunderbird-alice-then-dave-two-signatures.eml").read_bytes()
AT = dt.datetime(2026, 8, 1, tzinfo=dt.timezone.utc)  # inside the test certificates' validity


def codes(report) -> list[str]:
    return [f.code for f in report.findings]


def test_a_thunderbird_signature_verifies_with_microsofts_attribute_named():
    [message] = read_inputs([DETACHED]).messages
    assert (message.content_intact, message.signature_valid) == (True, True)
    assert message.from_address == "Alice@example.com"
    named = {a.oid: a.name for a in message.signed_attributes}
    assert named["1.3.6.1.4.1.311.16.4"] == "Microsoft encryption key preference"
    assert named["1.2.840.113549.1.9.16.2.11"] == "S/MIME encryption key preference"
    report = diagnose([DETACHED], at=AT)
    assert "message.signature_valid" in codes(report)
    assert not {"input.unreadable", "input.no_certificate", "message.unknown_attribute"} & set(codes(report))


def test_a_changed_thunderbird_message_is_caught():
    changed = DETACHED.replace(b"from Alice to Bob", b"from Alice to Eve")
    report = diagnose([changed], at=AT)
    assert "message.signature_invalid" in codes(report)
    assert "message.signature_valid" not in codes(report)


def test_a_message_signed_twice_is_explained_as_two_layers_and_both_verify():
    report = diagnose([TWO_LAYERS], at=AT)
    [layers] = [f for f in report.findings if f.code == "message.layers"]
    assert "a detached signature (multipart/signed); inside it, a detached signature" in layers.explanation
    assert codes(report).count("message.signature_valid") == 2
    assert [m["layer"] for m in report.messages] == [1, 2]


def test_the_from_address_is_compared_with_the_outer_signer_only():
    messages = read_inputs([TWO_LAYERS]).messages
    assert [(m.layer, m.from_address) for m in messages] == [(1, "Dave@example.com"), (2, None)]
