"""Issue 11 item 2: for every case of the corpus, no part of the result contradicts the verdict."""
from __future__ import annotations

import pytest

from smimecenter.diagnostics import diagnose

from .verdict_agreement import contradictions
from .verdict_corpus import VerdictCase, cases, suite_cases


def run(case: VerdictCase) -> dict:
    return diagnose([data for _, data in case.inputs], password=case.password, trust=list(case.trust) or None,
                    email=case.email, at=case.at).to_dict()


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_no_part_of_an_everyday_result_contradicts_its_verdict(case):
    assert contradictions(run(case)) == []


@pytest.mark.parametrize("case", list(suite_cases()), ids=lambda c: c.name)
def test_no_part_of_a_suite_result_contradicts_its_verdict(case):
    assert contradictions(run(case)) == []


def test_the_checker_finds_a_contradiction_when_there_is_one():
    data = run(next(c for c in cases() if c.name == "expired certificate"))
    data["compatibility"]["clients"][0]["sign"] = "yes"
    data["verdict"]["badges"][0]["state"] = "yes"
    found = contradictions(data)
    assert any("sign yes under does_not_work" in f for f in found)
    assert any("badge" in f for f in found)
