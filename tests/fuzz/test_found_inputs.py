"""Every input fuzzing found, and every seed cut and damaged, goes through the engine without loss.

tests/fuzz/found/ holds what `make fuzz` made crash (each with its fix); the hypothesis tests below damage
each seed of tests/fuzz/seeds/ the way transfers and copy-paste do, and call diagnose() on the result.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smimecenter.diagnostics.report import Report

from .targets import LIMITS, PASSWORD, TARGETS, run_one

HERE = Path(__file__).resolve().parent
SEEDS = {path.name: path.read_bytes() for path in sorted((HERE / "seeds").iterdir())}
FOUND = {path.name: path.read_bytes() for path in sorted((HERE / "found").iterdir())}
SEED_NAMES = sorted(SEEDS)
PER_INPUT_SECONDS = 2.0  # diagnose() of a damaged seed takes milliseconds; the margin is for a busy machine
EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_there_are_seeds_of_every_kind():
    kinds = {name.rsplit(".", 1)[-1] for name in SEEDS}
    assert {"der", "pem", "p7b", "p12", "eml", "p7s", "csr", "msg"} <= kinds


@pytest.mark.parametrize("name", sorted(FOUND))
@pytest.mark.parametrize("target", sorted(TARGETS))
def test_every_found_input_passes_every_target(target, name):
    run_one(target, FOUND[name])


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_seed_is_read_as_made(name):
    run_one("diagnose", SEEDS[name])


def diagnose_damaged(data: bytes) -> None:
    started = time.perf_counter()
    run_one("diagnose", data)
    assert time.perf_counter() - started < PER_INPUT_SECONDS


@EXAMPLES
@given(name=st.sampled_from(SEED_NAMES), cut=st.floats(min_value=0.0, max_value=1.0))
def test_truncated_seeds_never_raise(name, cut):
    data = SEEDS[name]
    diagnose_damaged(data[: int(len(data) * cut)])


@EXAMPLES
@given(name=st.sampled_from(SEED_NAMES),
       changes=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), min_size=1, max_size=12))
def test_seeds_with_flipped_bytes_never_raise(name, changes):
    data = bytearray(SEEDS[name])
    for where, value in changes:
        data[min(int(where * len(data)), len(data) - 1)] = value
    diagnose_damaged(bytes(data))


@EXAMPLES
@given(name=st.sampled_from(SEED_NAMES), start=st.floats(0.0, 1.0), length=st.integers(0, 200),
       insert=st.binary(max_size=200))
def test_seeds_with_spliced_bytes_never_raise(name, start, length, insert):
    data = SEEDS[name]
    at = int(start * len(data))
    diagnose_damaged(data[:at] + insert + data[at + length:])


@EXAMPLES
@given(first=st.sampled_from(SEED_NAMES), second=st.sampled_from(SEED_NAMES), where=st.floats(0.0, 1.0))
def test_two_seeds_glued_never_raise(first, second, where):
    """What a careless copy-paste makes: the front of one file and the back of another."""
    a, b = SEEDS[first], SEEDS[second]
    diagnose_damaged(a[: int(len(a) * where)] + b[int(len(b) * where):])


def test_diagnose_reports_on_a_damaged_seed():
    """The targets return nothing; this shows a damaged input still gets a whole report."""
    from smimecenter.diagnostics import diagnose

    data = SEEDS["modern.p12"]
    report = diagnose([data[: len(data) // 2]], password=PASSWORD, limits=LIMITS)
    assert isinstance(report, Report) and report.findings
