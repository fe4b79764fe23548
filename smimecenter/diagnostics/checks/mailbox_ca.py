"""A person's certificate that claims to be a CA (CA/B Forum S/MIME BR 7.1.2.3 (d))."""
from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

MAILBOX_CERTIFICATE_IS_CA = rule(
    code="certificate.mailbox_is_ca", severity=Severity.ERROR,
    reference="CA/B Forum S/MIME BR section 7.1.2.3 (d); RFC 5280 section 4.2.1.9",
    learn_more="/learn/certificate-exists-but-unusable/#key-usage",
    title="Your certificate says it is a certificate authority",
    explanation="{certificate} has basicConstraints cA=TRUE, which makes it a CA certificate. A CA "
                "certificate is never someone's email certificate: the S/MIME Baseline "
                "Requirements demand cA=FALSE for it, and mail clients may refuse it for "
                "signing or encryption. The rest of this report checks it as your certificate.",
    fix="Ask the certificate authority for a new certificate for your address, issued as an "
        "end-entity (cA=FALSE) certificate. If you made it yourself, make it again without the "
        "CA flag.")


@check
def mailbox_is_ca(context: CheckContext) -> Iterator[Observation]:
    leaf = context.leaf
    if leaf is not None and context.facts(leaf).is_ca:
        yield MAILBOX_CERTIFICATE_IS_CA.observe(leaf)
