"""NIST PKITS and x509-limbo: every in-scope case agrees with the suite, or is in the one table
of S/MIME differences; and the engine agrees with the validator of record alone."""
from __future__ import annotations

import asyncio
import concurrent.futures
import warnings

import pytest
from cryptography.utils import CryptographyDeprecationWarning

from . import suites

CASES = list(suites.all_cases())


@pytest.fixture(autouse=True)
def _quiet_serials():
    # limbo's serial-number cases load with cryptography's deprecation warning; it is their point.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        yield


def test_the_suites_hold_the_cases_in_scope():
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    assert sum(name.startswith("pkits ") for name in names) == 142
    assert sum(name.startswith("limbo ") for name in names) == 112


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_the_engine_gives_the_expected_verdict(case: suites.SuiteCase):
    agrees = suites.engine_agrees(case)
    if case.name in suites.WHERE_SMIME_DIFFERS:
        # A table entry must describe a real difference, or it hides nothing and must go.
        assert not agrees, f"{case.name} agrees now: remove it from the table"
    else:
        chain = suites.engine_chain(case)
        problems = [(p.code, dict(p.details)) for p in chain.best.problems] if chain and chain.best else None
        profile = suites.engine_profile_findings(case, chain) if chain else None
        assert agrees, f"{case.description}: {problems} {profile}"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_the_engine_agrees_with_the_validator_of_record(case: suites.SuiteCase):
    # The validator of record answers RFC 5280 section 6 alone: the engine's path verdict is
    # compared with it, the profile findings (section 4) are not its question.
    ours, record = suites.engine_path_valid(case), suites.record_valid(case)
    if case.name in suites.RECORD_DIFFERS:
        assert record is not None and ours != record
        assert ours == case.expected_valid or case.name in suites.WHERE_SMIME_DIFFERS
    elif record is None:
        # The validator cannot decide (a name form it has no matcher for, a field it cannot
        # read): ours must be right, or the case is in the table.
        assert suites.engine_agrees(case) or case.name in suites.WHERE_SMIME_DIFFERS
    else:
        assert ours == record, f"engine {ours}, validator of record {record}"


@pytest.mark.parametrize("name", suites.PKITS_NONCRITICAL_POLICY_CONSTRAINTS)
def test_a_pkits_path_with_non_critical_policy_constraints_only_gets_the_warning(name):
    [case] = [case for case in CASES if case.name == name]
    chain = suites.engine_chain(case)
    assert chain is not None and chain.trusted
    assert suites.engine_profile_findings(case, chain) == {
        "certificate.policy_constraints_not_critical": "warning"}


def test_every_profile_code_is_in_the_catalog():
    from smimecenter.diagnostics.checks import all_rules

    assert suites.PROFILE_CODES <= set(all_rules())


def test_every_table_entry_names_a_suite_case():
    names = {case.name for case in CASES}
    assert set(suites.WHERE_SMIME_DIFFERS) <= names
    assert set(suites.RECORD_DIFFERS) <= names


def test_the_validator_of_record_also_runs_inside_a_running_event_loop():
    # A page served by an asynchronous server, or a test run after a browser test, has one.
    case = suites.pkits_cases()[0]

    async def inside_a_loop():
        return suites.engine_path_valid(case), suites.record_valid(case)

    # On a thread of its own: this test process may already run a loop here (browser tests).
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as worker:
        assert worker.submit(lambda: asyncio.run(inside_a_loop())).result() == (True, True)
