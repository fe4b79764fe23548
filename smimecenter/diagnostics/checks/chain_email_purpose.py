"""Intermediates restricted by EKU to other purposes break email trust (RFC 8550 4.4.4, S/MIME BR 7.1.2.2)."""
from __future__ import annotations

from collections.abc import Iterator

from .. import chains
from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

INTERMEDIATE_NOT_FOR_EMAIL = rule(
    code="chain.intermediate_not_for_email", severity=Severity.ERROR,
    reference="RFC 8550 section 4.4.4; CA/B Forum S/MIME BR section 7.1.2.2 (g)",
    learn_more="/learn/why-trust-fails/#intermediate-not-for-email",
    title="An intermediate certificate is not allowed for email",
    explanation="{certificate} limits what it may be used for (extended key usage: {eku}) and "
                "email protection is not among them, so mail clients do not trust certificates "
                "it issued for S/MIME.",
    fix="Your certificate was issued under a CA meant for another purpose (often TLS). Get an "
        "S/MIME certificate from a CA whose intermediate includes emailProtection.")


@check
def intermediate_not_for_email(context: CheckContext) -> Iterator[Observation]:
    for problem in context.chain.problems(chains.INTERMEDIATE_NOT_FOR_EMAIL):
        yield INTERMEDIATE_NOT_FOR_EMAIL.observe(problem.certificate, **problem.details)
