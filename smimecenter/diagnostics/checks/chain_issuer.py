"""Issuers must be CAs (basicConstraints, keyCertSign) and respect their pathLenConstraint."""
from __future__ import annotations

from collections.abc import Iterator

from .. import chains
from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

ISSUER_NOT_CA = rule(
    code="chain.issuer_not_ca", severity=Severity.ERROR,
    reference="RFC 5280 sections 4.2.1.9, 4.2.1.3 and 6.1.4 (k), (n)",
    learn_more="/learn/why-trust-fails/#broken-chain",
    title="A certificate that issued another is not allowed to",
    explanation="{certificate} issued {child}, but {reason}. Mail clients reject certificates "
                "issued by something that is not a certificate authority.",
    fix="Get your certificate from a proper CA certificate; if you run the CA, reissue its "
        "certificate with basicConstraints cA=TRUE and the keyCertSign key usage.")
PATH_LENGTH_EXCEEDED = rule(
    code="chain.path_length_exceeded", severity=Severity.ERROR,
    reference="RFC 5280 sections 4.2.1.9 and 6.1.4 (l), (m)",
    learn_more="/learn/why-trust-fails/#broken-chain",
    title="The chain is longer than a CA allows",
    explanation="{certificate} limits the intermediate CA certificates below it to {limit} "
                "(pathLenConstraint), but this chain has {actual}.",
    fix="Have the certificate issued from a CA closer to the root, or reissue the CA "
        "certificate with a larger path length constraint.")


@check
def issuer_is_ca(context: CheckContext) -> Iterator[Observation]:
    for problem in context.chain.problems(chains.ISSUER_NOT_CA):
        yield ISSUER_NOT_CA.observe(problem.certificate, **problem.details)


@check
def path_length(context: CheckContext) -> Iterator[Observation]:
    for problem in context.chain.problems(chains.PATH_LENGTH_EXCEEDED):
        yield PATH_LENGTH_EXCEEDED.observe(problem.certificate, **problem.details)
