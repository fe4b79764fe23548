"""The catalog of checks: one module per check or small family, each owning its codes and words.

Adding a check is adding a module here and importing it below: it declares its rules with
`registry.rule` and its logic with `@registry.check`. Every catalog module is imported here, so
the catalog never depends on what else happens to be imported first.
"""
from __future__ import annotations

import logging

from . import (  # noqa: F401  (importing a module registers its rules and checks)
    ca_only_fields,
    chain_anchor,
    chain_email_purpose,
    chain_issuer,
    chain_missing_intermediate,
    chain_name_constraints,
    chain_rfc5280,
    chain_signature,
    chain_supplied,
    critical_extensions,
    crypto,
    csr,
    extension_criticality,
    identity,
    input_events,
    key_identifiers,
    mailbox_ca,
    malformed,
    message,
    online,
    only_ca,
    pkcs12,
    pkcs12_protection,
    revocation,
    revocation_status,
    serial_number,
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
        except Exception as problem:
            # One line, no traceback and nothing of the input: a crafted certificate must not flood the log.
            logger.error("check %s failed: %s at %s", getattr(check, "__name__", check), type(problem).__name__,
                         _where(problem))
    return sorted(findings, key=lambda finding: finding.severity.rank)


def _where(problem: BaseException) -> str:
    """file:line of the innermost frame of the failure, enough to find the bug without the traceback."""
    trace = problem.__traceback__
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    if trace is None:
        return "unknown place"
    return f"{trace.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{trace.tb_lineno}"
