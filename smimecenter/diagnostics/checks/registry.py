"""The catalog: every rule (code, severity, reference, words) and every check that can raise it.

A check module declares its rules with `rule(...)` and its logic with `@check`; importing the module
is all it takes to add it to the catalog. Rules whose facts come from the input reader (events) are
declared the same way, so every finding code has its words in one table.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cryptography import x509

from ..findings import Severity

if TYPE_CHECKING:
    from .context import CheckContext

__all__ = ["Observation", "Rule", "all_rules", "check", "registered_checks", "rule"]


@dataclass(frozen=True)
class Rule:
    """One finding code with everything a person needs to read it.

    `title`, `explanation` and `fix` are templates filled from an observation's details by
    `words.describe`, the only place that turns observations into sentences.
    """

    code: str
    severity: Severity
    reference: str
    learn_more: str
    title: str
    explanation: str
    fix: str

    def observe(self, certificate: x509.Certificate | None = None, *,
                record: Mapping[str, object] | None = None, **details: object) -> Observation:
        """`details` fill the words; `record` (plain JSON values) is handed on as the finding's `details`."""
        return Observation(rule=self, certificate=certificate, details=details, record=record or {})


@dataclass(frozen=True)
class Observation:
    """A rule that applies to this input, with the facts its words need."""

    rule: Rule
    certificate: x509.Certificate | None
    details: Mapping[str, object] = field(default_factory=dict)
    # Machine-readable facts behind the words (the finding's JSON `details`), when a rule has any.
    record: Mapping[str, object] = field(default_factory=dict)


CheckFunction = Callable[["CheckContext"], Iterable[Observation]]

_rules: dict[str, Rule] = {}
_checks: list[CheckFunction] = []


def rule(*, code: str, severity: Severity, reference: str, learn_more: str, title: str,
         explanation: str, fix: str) -> Rule:
    if code in _rules:
        raise ValueError(f"finding code {code!r} is declared twice")
    declared = Rule(code=code, severity=severity, reference=reference, learn_more=learn_more,
                    title=title, explanation=explanation, fix=fix)
    _rules[code] = declared
    return declared


def check(function: CheckFunction) -> CheckFunction:
    _checks.append(function)
    return function


def all_rules() -> Mapping[str, Rule]:
    return dict(_rules)


def registered_checks() -> Iterator[CheckFunction]:
    return iter(tuple(_checks))
