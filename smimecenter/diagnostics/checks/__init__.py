"""The catalog of checks: one module per check or small family, each owning its codes and words.

Adding a check is adding a module here and importing it below: it declares its rules with
`registry.rule` and its logic with `@registry.check`. Every catalog module is imported here, so
the catalog never depends on what else happens to be imported first.
"""
from __future__ import annotations

import logging

from . import (  # noqa: F401  (importing a module registers its rules and checks)
    chain_anchor,
    chain_email_purpose,
    chain_issuer,
    chain_missing_intermediate,
    chain_name_constraints,
    chain_signature,
    chain_supplied,
    critical_extensions,
    crypto,
    csr,
    identity,
    input_events,
    malformed,
    message,
    online,
    pkcs12,
    pkcs12_protection,
    revocation,
    revocation_status,
    usage,
    validity,
)
from ..findings import Finding
from .context import CheckContext
from .registry import Rule, all_rules, registered_checks
from .words import describe

__all__ = ["CheckContext", "Rule", "all_rules", "run_checks"]


logger = logging.getLogger(__name__)


def run_checks(context: CheckContext) -> list[Finding]:
    """Every registered check, in catalog order, worded; errors first, then warnings, then info.

    A check that fails on an odd certificate is logged and skipped: one faulty rule must not
    cost the person the rest of their report.
    """
    findings: list[Finding] = []
    for check in registered_checks():
        try:
            findings.extend(describe(observation, context.facts) for observation in check(context))
        except Exception:
            logger.exception("check %s failed", getattr(check, "__name__", check))
    return sorted(findings, key=lambda finding: finding.severity.rank)
