"""A publicly trusted leaf must say where to check revocation (S/MIME BR 7.1.2.3 (b), (c))."""
from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

NO_INFO = rule(
    code="revocation.no_info", severity=Severity.WARNING,
    reference="CA/B Forum S/MIME BR section 7.1.2.3 (b), (c)",
    learn_more="/learn/certificate-exists-but-unusable/#revocation",
    title="The certificate does not say how to check revocation",
    explanation="{certificate} chains to a public root but has neither a CRL distribution point "
                "nor an OCSP address, so nobody can find out if it was revoked; some mail clients "
                "treat that as a failure.",
    fix="Ask your certificate authority for a certificate that follows the S/MIME Baseline "
        "Requirements (they include a CRL or OCSP address).")


@check
def revocation_pointers(context: CheckContext) -> Iterator[Observation]:
    leaf = context.leaf
    if leaf is None or not context.publicly_trusted:
        return
    info = context.facts(leaf)
    if not info.crl_urls and not info.ocsp_urls:
        yield NO_INFO.observe(leaf)
