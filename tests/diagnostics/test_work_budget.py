"""One key-derivation budget per diagnosis: every password try of every .p12 file is charged before it runs."""
from __future__ import annotations

import time

import pytest

from smimecenter.diagnostics.inputs import Limits, read_inputs
from smimecenter.diagnostics.inputs import events as codes
from smimecenter.diagnostics.inputs.kdf_work import iterated_work, scrypt_work
from smimecenter.diagnostics.inputs.pkcs12_structure import read_structure

from .builders import ec_key, make_chain, pkcs12_bytes
from .hostile_files import scrypt_pkcs12, unknown_kdf_pkcs12


@pytest.fixture(scope="module")
def chain():
    return make_chain(key=ec_key())


def codes_of(parsed) -> list[str]:
    return [event.code for event in parsed.events]


def test_a_small_scrypt_file_opens_and_is_charged_its_n_r_p(chain):
    data = scrypt_pkcs12(key=chain.leaf.key, certificate=chain.leaf, password=b"pw", n=1024, r=8, p=1)
    assert read_structure(data).work_per_try == scrypt_work(1024, 8, 1) == 1024 * 8 * 3
    parsed = read_inputs([data], password="pw")
    assert codes_of(parsed) == []
    assert parsed.pkcs12[0].key_certificate == chain.leaf.certificate
    assert parsed.pkcs12[0].protection.bags[0].kdf == "scrypt (N=1024, r=8, p=1)"


def test_a_scrypt_file_with_a_huge_p_is_refused_before_any_derivation(chain):
    data = scrypt_pkcs12(key=chain.leaf.key, certificate=chain.leaf, password=b"pw", declared=(1024, 8, 4096))
    started = time.perf_counter()
    parsed = read_inputs([data], password="pw")
    assert time.perf_counter() - started < 0.5  # OpenSSL took a minute and more on this file
    assert codes_of(parsed) == [codes.PKCS12_OVER_BUDGET]
    assert parsed.events[0].details == {"origin": "the input", "work": 1024 * 8 * 4096 * 3,
                                        "left": 1_000_000, "budget": 1_000_000}
    assert parsed.certificates == []


def test_scrypt_that_needs_more_memory_than_allowed_is_refused(chain):
    data = scrypt_pkcs12(key=chain.leaf.key, certificate=chain.leaf, password=b"pw", declared=(2**20, 8, 1))
    parsed = read_inputs([data], password="pw")
    assert codes_of(parsed) == [codes.PKCS12_UNBOUNDED_KDF]
    assert parsed.events[0].details["where"] == "private key"


def test_an_unknown_key_derivation_is_refused(chain):
    data = unknown_kdf_pkcs12(key=chain.leaf.key, certificate=chain.leaf, password=b"pw")
    assert read_structure(data).unbounded_where == "private key"
    assert codes_of(read_inputs([data], password="pw")) == [codes.PKCS12_UNBOUNDED_KDF]


def test_the_budget_spans_every_file_of_the_request(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw", iterations=3000)
    per_try = read_structure(data).work_per_try
    assert per_try == 2 * iterated_work(3000, "sha256") + iterated_work(2048, "sha256", derivations=1)
    limits = Limits(max_kdf_work=per_try * 3)
    parsed = read_inputs([data] * 5, password="pw", limits=limits)
    assert len(parsed.pkcs12) == 5
    assert [e.details["origin"] for e in parsed.events if e.code == codes.PKCS12_OVER_BUDGET] == [
        "input 4", "input 5"]
    assert len({s.origin for s in parsed.certificates}) == 3


def test_every_password_try_is_charged(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw", iterations=3000)
    per_try = read_structure(data).work_per_try
    # A wrong password is tried as given, then as the two encodings of the empty password: three tries.
    enough_for_two = Limits(max_kdf_work=per_try * 2)
    parsed = read_inputs([data, data], password="wrong", limits=enough_for_two)
    # The first file's given password and its first fallback use the budget up; the second file is refused.
    assert codes_of(parsed) == [codes.PKCS12_WRONG_PASSWORD, codes.PKCS12_OVER_BUDGET]


def test_twenty_files_that_each_cost_most_of_the_budget_take_under_a_second(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw", iterations=240_000)
    assert 900_000 < read_structure(data).work_per_try <= 1_000_000
    started = time.perf_counter()
    parsed = read_inputs([data] * 20, password="wrong")
    elapsed = time.perf_counter() - started
    assert codes_of(parsed) == [codes.PKCS12_WRONG_PASSWORD] + [codes.PKCS12_OVER_BUDGET] * 19
    assert elapsed < 2.0  # measured well under 1 s (bench/bench_hostile.py); the margin is for a busy machine


def test_a_usual_file_is_not_charged_out_of_the_budget(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw")
    parsed = read_inputs([data] * 20, password="pw")
    assert codes.PKCS12_OVER_BUDGET not in codes_of(parsed)
    assert len(parsed.certificates) == 20


def test_reading_stops_with_a_message_past_the_time_limit(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw", iterations=20_000)
    parsed = read_inputs([data, chain.leaf.pem, chain.intermediate.pem], password="pw",
                         limits=Limits(max_seconds=0.001))
    slow = [e for e in parsed.events if e.code == codes.INPUT_TOO_SLOW]
    assert [e.details["origin"] for e in slow] == ["input 2"]
    assert {s.origin for s in parsed.certificates} == {"input 1"}


def test_no_time_limit_message_when_reading_is_quick(chain):
    parsed = read_inputs([chain.leaf.pem, chain.intermediate.pem])
    assert codes.INPUT_TOO_SLOW not in codes_of(parsed)


class Slot:
    """A kdf_slot factory that records its use; `free` says whether entering gets the slot."""

    def __init__(self, free: bool) -> None:
        self.free = free
        self.entered = self.exited = 0

    def __call__(self):
        slot = self

        class _Context:
            def __enter__(self):
                slot.entered += 1
                return slot.free

            def __exit__(self, *exc):
                slot.exited += 1
                return False

        return _Context()


def test_a_busy_machine_turns_the_file_away_before_any_derivation(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw")
    slot = Slot(free=False)
    parsed = read_inputs([data, data], password="pw", limits=Limits(kdf_slot=slot))
    assert codes_of(parsed) == [codes.PKCS12_BUSY, codes.PKCS12_BUSY]
    assert parsed.certificates == []
    assert (slot.entered, slot.exited) == (1, 1)


def test_the_slot_is_held_once_for_all_files_and_released_after_reading(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw")
    slot = Slot(free=True)
    parsed = read_inputs([data, data, chain.leaf.pem], password="pw", limits=Limits(kdf_slot=slot))
    assert codes_of(parsed) == []
    assert (slot.entered, slot.exited) == (1, 1)


def test_certificates_alone_never_ask_for_the_slot(chain):
    slot = Slot(free=False)
    parsed = read_inputs([chain.leaf.pem, chain.intermediate.pem], limits=Limits(kdf_slot=slot))
    assert codes_of(parsed) == [] and slot.entered == 0
