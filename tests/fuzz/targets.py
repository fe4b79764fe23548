"""What the fuzzer runs, without the fuzzer: the harness (fuzz_engine.py) and the regression tests share it.

Each target takes bytes and must neither raise nor make the engine swallow one of its own failures (the
engine logs a warning when a reader or a check fails on an input; that costs a person part of a report).
"""
from __future__ import annotations

import logging

from smimecenter.diagnostics import diagnose
from smimecenter.diagnostics.checks.csr import csr_findings
from smimecenter.diagnostics.csr_check import examine, summarise
from smimecenter.diagnostics.inputs import Limits, read_inputs
from smimecenter.diagnostics.inputs.collector import Collector
from smimecenter.diagnostics.inputs.mime import read_message
from smimecenter.diagnostics.pkcs12_inspection import inspect_pkcs12

PASSWORD = "fuzz-seed-pass"  # the password of the .p12 seeds (make_seeds.py)
LIMITS = Limits(max_pkcs12_iterations=20_000)  # keeps one input's cost low; the bounds logic stays exercised
# Failures already known and tracked elsewhere, so a run keeps looking for new ones instead of stopping at them:
# a CSR whose subject cannot be decoded (issue 10, item 5: guarded lazy decoding in the engine).
KNOWN_SWALLOWED = ("check certificate_requests failed",)


class SwallowedFailure(AssertionError):
    """The engine survived, but only by dropping part of the input."""


class _Remember(logging.Handler):
    """Keeps the warnings the engine logs when it had to swallow one of its own failures."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def fuzz_diagnose(data: bytes) -> None:
    diagnose([data], password=PASSWORD, email="alice@example.com", limits=LIMITS).to_dict()


def fuzz_csr(data: bytes) -> None:
    for request in read_inputs([data], limits=LIMITS).csrs:
        try:
            summary = summarise(request)
        except ValueError:  # known: an undecodable subject (issue 10, item 5); the page shows a message
            continue
        problems = examine(request, email="alice@example.com", summary=summary)
        [finding.to_dict() for finding in csr_findings(request, problems=problems)]
        summary.to_dict()


def fuzz_pkcs12(data: bytes) -> None:
    for contents in read_inputs([data], password=PASSWORD, limits=LIMITS).pkcs12:
        inspect_pkcs12(contents)


def fuzz_mime(data: bytes) -> None:
    read_message(Collector(LIMITS, None), data, "the input")


TARGETS = {"diagnose": fuzz_diagnose, "csr": fuzz_csr, "pkcs12": fuzz_pkcs12, "mime": fuzz_mime}


def run_one(target: str, data: bytes) -> None:
    """Run one input; raise when it escaped an exception or made the engine swallow a failure."""
    remember = _Remember()
    engine_log = logging.getLogger("smimecenter.diagnostics")
    engine_log.addHandler(remember)
    try:
        TARGETS[target](data)
    finally:
        engine_log.removeHandler(remember)
    new = [r.getMessage() for r in remember.records if not r.getMessage().startswith(KNOWN_SWALLOWED)]
    if new:
        raise SwallowedFailure(new[0])
