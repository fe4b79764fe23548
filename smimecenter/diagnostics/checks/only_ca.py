"""Only CA certificates were given: there is no person's certificate to judge."""
from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

ONLY_CA_CERTIFICATES = rule(
    code="input.only_ca_certificates", severity=Severity.WARNING,
    reference="RFC 5280 section 4.2.1.9; RFC 8550 section 3",
    learn_more="/learn/why-trust-fails/#how-chains-work",
    title="Only CA certificates were given",
    explanation="Everything you supplied is a CA certificate ({names}); there is no person's "
                "certificate, so nothing here says whether an email certificate works. The CA "
                "certificates themselves are checked below.",
    fix="Paste your own certificate, the one issued for your email address (it is in the "
        ".p12/.pfx file from your certificate authority, or in a signed email you sent), with "
        "its intermediate certificates.")

NAMES_SHOWN = 4


@check
def only_ca_certificates(context: CheckContext) -> Iterator[Observation]:
    if context.leaf is not None or context.chain.start is None:
        return
    labels = [context.facts(c).label for c in context.supplied]
    names = labels[:NAMES_SHOWN] + ([f"and {len(labels) - NAMES_SHOWN} more"]
                                    if len(labels) > NAMES_SHOWN else [])
    yield ONLY_CA_CERTIFICATES.observe(None, count=len(labels), names=names)
