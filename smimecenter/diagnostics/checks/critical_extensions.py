"""A critical extension nobody understands makes the certificate unusable (RFC 5280 4.2, 6.1.4 (o))."""
from __future__ import annotations

from collections.abc import Iterator

from .. import chains
from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

UNKNOWN_CRITICAL = rule(
    code="certificate.unknown_critical_extension", severity=Severity.ERROR,
    reference="RFC 5280 sections 4.2 and 6.1.4 (o)",
    learn_more="/learn/why-trust-fails/#broken-chain",
    title="A certificate carries a critical extension that mail clients do not understand",
    explanation="{certificate} marks the extension {oids} as critical. A critical extension that "
                "software does not recognise must make it reject the whole certificate, and "
                "mail clients do.",
    fix="Ask the certificate authority to reissue the certificate without that extension, or "
        "with it marked non-critical.")


@check
def unknown_critical_extensions(context: CheckContext) -> Iterator[Observation]:
    for problem in context.chain.problems(chains.UNKNOWN_CRITICAL_EXTENSION):
        yield UNKNOWN_CRITICAL.observe(problem.certificate, **problem.details)
