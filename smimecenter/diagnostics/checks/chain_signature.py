"""Each certificate's signature must verify with its issuer's key (RFC 5280 section 6.1.3 (a)(1))."""
from __future__ import annotations

from collections.abc import Iterator

from .. import chains
from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

BAD_SIGNATURE = rule(
    code="chain.bad_signature", severity=Severity.ERROR, reference="RFC 5280 section 6.1.3 (a)(1)",
    learn_more="/learn/why-trust-fails/#broken-chain",
    title="A certificate's signature does not verify",
    explanation="{certificate} names {issuer} as its issuer, but {reason}. The certificate was "
                "changed after issuance, or the issuer certificate supplied is a different one "
                "with the same name (for example after the CA renewed its key).",
    fix="Download the issuing certificate again from your certificate authority, the one "
        "matching your certificate's Authority Key Identifier, and use it instead.")


@check
def bad_signature(context: CheckContext) -> Iterator[Observation]:
    for problem in context.chain.problems(chains.BAD_SIGNATURE):
        yield BAD_SIGNATURE.observe(problem.certificate, **problem.details)
