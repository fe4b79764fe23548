"""Every name of a certificate must fall within the name constraints of each CA above it
(RFC 5280 4.2.1.10): mailboxes, domain names, IP addresses, URIs and directory names."""
from __future__ import annotations

from collections.abc import Iterator

from .. import chains
from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

NAME_CONSTRAINTS_VIOLATION = rule(
    code="chain.name_constraints_violation", severity=Severity.ERROR,
    reference="RFC 5280 sections 4.2.1.10 and 6.1.3 (b), (c)",
    learn_more="/learn/why-trust-fails/#broken-chain",
    title="A name in the certificate is outside what the CA may certify",
    explanation="{certificate} carries {address}, but {constrained_by} is name-constrained: "
                "{rule}. Mail clients reject the certificate.",
    fix="Ask the CA for a certificate for an address within its permitted domains, or have the "
        "CA's constraints widened.")


@check
def name_constraints(context: CheckContext) -> Iterator[Observation]:
    for problem in context.chain.problems(chains.NAME_CONSTRAINTS_VIOLATION):
        yield NAME_CONSTRAINTS_VIOLATION.observe(problem.certificate, **problem.details)
