"""Paths the validator of record refuses where no narrower check applies (RFC 5280 section 6.1)."""
from __future__ import annotations

from collections.abc import Iterator

from .. import chains
from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

POLICY_REFUSED = rule(
    code="chain.policy_refused", severity=Severity.ERROR,
    reference="RFC 5280 sections 4.2.1.4, 4.2.1.5, 4.2.1.11, 4.2.1.14 and 6.1.3 (d)-(f), 6.1.4 (a), "
              "(b), (g)-(i), 6.1.5",
    learn_more="/learn/why-trust-fails/#broken-chain",
    title="The certificates' policies do not fit together",
    explanation="A CA on the chain of {certificate} requires that the certificates below it share "
                "a certificate policy (or forbids the policy mapping or \u201cany policy\u201d it "
                "would need), and they do not: {reason}. Mail clients that check policies "
                "reject the chain.",
    fix="Ask the certificate authority for the intermediate certificate issued for this "
        "certificate's policy, or for a certificate issued under the policy its CA requires.")
RFC5280_REFUSED = rule(
    code="chain.rfc5280_refused", severity=Severity.ERROR, reference="RFC 5280 section 6.1",
    learn_more="/learn/why-trust-fails/#broken-chain",
    title="The chain fails the standard path check",
    explanation="The chain of {certificate} does not pass certification path validation as "
                "RFC 5280 defines it: {reason}.",
    fix="Ask the certificate authority for the correct intermediate certificates, or for a "
        "certificate reissued under a chain that validates.")


@check
def refused_paths(context: CheckContext) -> Iterator[Observation]:
    for problem in context.chain.problems(chains.POLICY_REFUSED):
        yield POLICY_REFUSED.observe(problem.certificate, **problem.details)
    for problem in context.chain.problems(chains.RFC5280_REFUSED):
        yield RFC5280_REFUSED.observe(problem.certificate, **problem.details)
