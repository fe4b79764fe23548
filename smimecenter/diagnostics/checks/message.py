"""Signed messages: did the signature verify over the content (RFC 8551 section 3.5, RFC 5652 5.4)?"""
from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from ..inputs import events
from .context import CheckContext
from .registry import Observation, check, rule

VERIFYING = "/learn/signing-vs-encryption/#verifying-a-signature"

SIGNATURE_VALID = rule(
    code="message.signature_valid", severity=Severity.INFO, reference="RFC 5652 section 5.6",
    learn_more=VERIFYING,
    title="The message signature is valid",
    explanation="The {kind} signature in {origin} matches the message content and was made with "
                "the key of {certificate} ({algorithm}, {digest}).",
    fix="Nothing to fix here; whether recipients trust the signer depends on the chain below.")
SIGNATURE_INVALID = rule(
    code="message.signature_invalid", severity=Severity.ERROR, reference="RFC 5652 section 5.6",
    learn_more=VERIFYING,
    title="The message signature does not verify",
    explanation="The signature in {origin} does not verify: {problem}.",
    fix="Make sure the message was saved exactly as received (no re-wrapping, no changed line "
        "endings); if it was, the content was changed after signing or the signing software is "
        "faulty.")
SIGNATURE_UNVERIFIED = rule(
    code="message.signature_unverified", severity=Severity.WARNING,
    reference="RFC 5652 section 5.6", learn_more=VERIFYING,
    title="The message signature could not be checked",
    explanation="The signature in {origin} could not be verified: {problem}.",
    fix="Make sure the signed message is complete (saved as .eml, attachments included) and "
        "that it carries the signer's certificate.")
NOT_SIGNED = rule(
    code=events.MESSAGE_NOT_SIGNED, severity=Severity.WARNING, reference="RFC 8551 section 3.5",
    learn_more=VERIFYING,
    title="The message is not signed",
    explanation="{origin} is a {content_type} message without an S/MIME signature, so there "
                "is no certificate in it to check.",
    fix="Send a signed message (turn on signing in your mail client) and save it as .eml, or "
        "supply the certificate file itself.")


@check
def message_signatures(context: CheckContext) -> Iterator[Observation]:
    for message in context.inputs.messages:
        if message.signature_valid is False or message.content_intact is False:
            problem = message.problem or ("the content was changed after signing"
                                          if message.content_intact is False
                                          else "the signature does not match the signer's key")
            yield SIGNATURE_INVALID.observe(message.signer, origin=message.origin, problem=problem)
        elif message.signature_valid and message.content_intact:
            yield SIGNATURE_VALID.observe(message.signer, origin=message.origin, kind=message.kind,
                                          algorithm=message.signature_algorithm,
                                          digest=message.digest_algorithm)
        else:
            yield SIGNATURE_UNVERIFIED.observe(
                message.signer, origin=message.origin,
                problem=message.problem or ("the signed content was not supplied (a bare signature "
                                            "file), so it cannot be compared"
                                            if message.signature_valid else
                                            "the signer's certificate is not in the message"))
