"""A From: header with deeply nested comments must not cost the message its certificate."""
from __future__ import annotations

from smimecenter.diagnostics.inputs import read_inputs
from smimecenter.diagnostics.inputs import events as codes
from smimecenter.diagnostics.inputs.mime import MAX_COMMENT_DEPTH

from tests.fuzz.make_seeds import SEEDS


def signed_message(from_value: bytes) -> bytes:
    seed = (SEEDS / "signed.eml").read_bytes()
    assert seed.startswith(b"From: Alice <alice@example.com>\r\n")
    return b"From: " + from_value + seed[seed.index(b"\r\n"):]


def test_a_from_header_nested_ten_thousand_deep_keeps_the_certificate_and_the_address():
    parsed = read_inputs([signed_message(b"alice@example.com " + b"(" * 10_000 + b")" * 10_000)])
    assert parsed.certificates, [e.code for e in parsed.events]
    assert codes.INPUT_UNREADABLE not in [e.code for e in parsed.events]
    assert parsed.messages[0].from_address == "alice@example.com"


def test_usual_comments_are_read_as_before():
    nested = b"(" * MAX_COMMENT_DEPTH + b"x" + b")" * MAX_COMMENT_DEPTH
    parsed = read_inputs([signed_message(b"Alice " + nested + b" <alice@example.com>")])
    assert parsed.messages[0].from_address == "alice@example.com"
    assert parsed.certificates
