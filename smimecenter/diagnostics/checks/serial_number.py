"""A serial number must be a positive integer (RFC 5280 section 4.1.2.2)."""
from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

SERIAL_NOT_POSITIVE = rule(
    code="certificate.serial_not_positive", severity=Severity.WARNING,
    reference="RFC 5280 section 4.1.2.2; CA/B Forum S/MIME BR section 7.1",
    learn_more="/learn/why-trust-fails/#broken-chain",
    title="The serial number is not a positive number",
    explanation="{certificate} has the serial number {serial}. RFC 5280 requires a positive number; "
                "software that follows it strictly may refuse this certificate.",
    fix="Ask the certificate authority to reissue the certificate with a positive serial number.")


@check
def serial_numbers(context: CheckContext) -> Iterator[Observation]:
    for certificate in dict.fromkeys((*context.path, *context.supplied)):
        # RFC 5280 4.1.2.2: "The serial number MUST be a positive integer"; users SHOULD still read it
        if certificate.serial_number <= 0:
            yield SERIAL_NOT_POSITIVE.observe(certificate, serial=certificate.serial_number)
