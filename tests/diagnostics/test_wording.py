"""The wording helper: plurals, durations and sentence case, as a person reads them."""
from __future__ import annotations

import pytest

from smimecenter.diagnostics.wording import counted, duration, lower_first, sentence_case


@pytest.mark.parametrize("number, noun, expected", [
    (1, "warning", "1 warning"), (2, "warning", "2 warnings"), (0, "problem", "0 problems"),
    (35, "day", "35 days"), (1, "day", "1 day"), (3, "policy", "3 policies"), (2, "address", "2 addresses"),
    (1024, "day", "1,024 days"), (2, "certificate", "2 certificates"), (4, "key", "4 keys"),
])
def test_counts_use_the_right_form(number, noun, expected):
    assert counted(number, noun) == expected


def test_an_explicit_plural_wins():
    assert counted(2, "person", "people") == "2 people"
    assert counted(1, "person", "people") == "1 person"


@pytest.mark.parametrize("seconds, expected", [
    (1.3752, "1.4 s"), (0.04, "under 0.1 s"), (0.35, "0.3 s"), (12.4, "12 s"), (125, "2 min 5 s"), (120, "2 min"),
])
def test_durations_are_rounded_for_people(seconds, expected):
    assert duration(seconds) == expected


@pytest.mark.parametrize("text, expected", [
    ("your organisation's root trusts it", "Your organisation's root trusts it"),
    ("alice@example.com is not named", "alice@example.com is not named"),
    ("iOS refuses it", "iOS refuses it"),
    ("  already fine.", "Already fine."),
    ("", ""),
])
def test_sentence_case_keeps_addresses_and_names(text, expected):
    assert sentence_case(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("A certificate has expired", "a certificate has expired"),
    ("S/MIME is not allowed", "S/MIME is not allowed"),
    ("OCSP said revoked", "OCSP said revoked"),
])
def test_lower_first_keeps_acronyms(text, expected):
    assert lower_first(text) == expected
