"""Parts of a certificate that could not be read (RFC 5280 section 4.2: DER the parser refused)."""
from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

MALFORMED = rule(
    code="certificate.malformed", severity=Severity.WARNING, reference="RFC 5280 section 4.2",
    learn_more="/learn/why-trust-fails/#broken-chain",
    title="Part of a certificate could not be read",
    explanation="{certificate}: {problems}. Mail clients may reject the certificate or ignore "
                "those parts, so the rest of this report may differ from what they see.",
    fix="Ask the certificate authority to reissue the certificate; a correctly encoded "
        "certificate never shows this.")

UNREADABLE = rule(
    code="certificate.unreadable", severity=Severity.ERROR, reference="RFC 5280 section 4.1",
    learn_more="/learn/why-trust-fails/#broken-chain",
    title="A certificate is damaged",
    explanation="The certificate with SHA-256 fingerprint {fingerprint} is damaged: {reason}. "
                "It was left out of the checks.",
    fix="Download or export the certificate again; if it came from your certificate authority "
        "like this, ask them to reissue it.")


@check
def malformed_parts(context: CheckContext) -> Iterator[Observation]:
    for certificate in dict.fromkeys((*context.path, *context.supplied)):
        info = context.facts(certificate)
        # Reading these fills info.problems when something is malformed.
        info.extension(object)
        info.smtp_utf8_emails  # noqa: B018
        info.key_type  # noqa: B018
        if info.problems:
            yield MALFORMED.observe(certificate, problems="; ".join(dict.fromkeys(info.problems)),
                                    parser_message="; ".join(dict.fromkeys(info.parser_messages)))
    for certificate, reason in context.unreadable:
        # Its fingerprint is all we can safely show: the name is what failed to decode.
        yield UNREADABLE.observe(None, fingerprint=context.facts(certificate).sha256,
                                 reason=reason)
