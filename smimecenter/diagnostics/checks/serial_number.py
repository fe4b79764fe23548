"""A serial number must be a positive integer of at most 20 octets (RFC 5280 section 4.1.2.2)."""
from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from .context import CheckContext
from .profile_scope import profiled_certificates
from .registry import Observation, check, rule

MAX_SERIAL_OCTETS = 20  # RFC 5280 section 4.1.2.2: "Conforming CAs MUST NOT use ... longer than 20 octets"

SERIAL_NOT_POSITIVE = rule(
    code="certificate.serial_not_positive", severity=Severity.WARNING,
    reference="RFC 5280 section 4.1.2.2; CA/B Forum S/MIME BR section 7.1",
    learn_more="/learn/why-trust-fails/#broken-chain",
    title="The serial number is not a positive number",
    explanation="{certificate} has the serial number {serial}. RFC 5280 requires a positive number; "
                "software that follows it strictly may refuse this certificate.",
    fix="Ask the certificate authority to reissue the certificate with a positive serial number.")
SERIAL_TOO_LONG = rule(
    code="certificate.serial_too_long", severity=Severity.WARNING,
    reference="RFC 5280 section 4.1.2.2",
    learn_more="/learn/why-trust-fails/#broken-chain",
    title="The serial number is longer than 20 bytes",
    explanation="{certificate} has a serial number of {octets} bytes. RFC 5280 forbids a CA to use "
                "more than 20, and software only has to handle 20: Thunderbird and OpenSSL "
                "accept it today, software that follows the standard strictly refuses it.",
    fix="Ask the certificate authority to reissue the certificate with a serial number of at "
        "most 20 bytes.")


@check
def serial_numbers(context: CheckContext) -> Iterator[Observation]:
    for certificate, _ in profiled_certificates(context):
        serial = certificate.serial_number
        # RFC 5280 4.1.2.2: "The serial number MUST be a positive integer"; users SHOULD still read it
        if serial <= 0:
            yield SERIAL_NOT_POSITIVE.observe(certificate, serial=serial)
        # Octets of the number itself: the sign octet DER adds before a high bit is not counted,
        # as most readers do not (a 20-octet random serial often encodes in 21).
        octets = (serial.bit_length() + 7) // 8
        if octets > MAX_SERIAL_OCTETS:
            yield SERIAL_TOO_LONG.observe(certificate, octets=octets)
