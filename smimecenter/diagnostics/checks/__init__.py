"""The catalog of checks: one module per check or small family, each owning its codes and words.

Adding a check is adding a module here (and importing it below): it declares its rules
with `registry.rule` and its logic with `@registry.check`.
"""
from __future__ import annotations

from . import (  # noqa: F401  (importing a module registers its rules and checks)
    chain_anchor,
    chain_email_purpose,
    chain_issuer,
    chain_missing_intermediate,
    chain_name_constraints,
    chain_signature,
    chain_supplied,
    crypto,
    identity,
    input_events,
    message,
    pkcs12,
    revocation,
    usage,
    validity,
)
from ..findings import Finding
from .context import CheckContext
from .registry import Rule, all_rules, registered_checks
from .words import describe

__all__ = ["CheckContext", "Rule", "all_rules", "run_checks"]


def run_checks(context: CheckContext) -> list[Finding]:
    """Every registered check, in catalog order, worded; errors first, then warnings, then info."""
    findings = [describe(observation, context.facts)
                for check in registered_checks() for observation in check(context)]
    return sorted(findings, key=lambda finding: finding.severity.rank)
