"""Signed messages: did each signature verify over the content (RFC 8551 section 3.5, RFC 5652 5.4),
and what else its SignerInfo says that a mail app would act on."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..findings import Severity
from ..inputs import events
from .context import CheckContext
from .crypto import WEAK_HASHES
from .registry import Observation, check, rule

VERIFYING = "/learn/signing-vs-encryption/#verifying-a-signature"
LAYERS = "/learn/signing-vs-encryption/#encrypt-and-sign"
SIGNATURE_ALGORITHMS = "/learn/rsa-vs-ecc/#signature-algorithms"
# A signing time this far past the check is still clock skew between two machines, not a finding.
CLOCK_SKEW = dt.timedelta(minutes=5)

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
WEAK_DIGEST = rule(
    code="message.weak_digest", severity=Severity.ERROR,
    reference="RFC 8551 section 2.1; RFC 5652 section 5.4",
    learn_more=SIGNATURE_ALGORITHMS,
    title="The message is signed with a broken algorithm",
    explanation="The signature in {origin} was made over a {hash} digest of the message. {hash} is "
                "broken, and Thunderbird 115 and later show such signatures as invalid.",
    fix="Set the sending mail app to sign with SHA-256 (in Outlook: the security settings' hash "
        "algorithm), then send the message again.")
SIGNING_TIME_IN_FUTURE = rule(
    code="message.signing_time_in_future", severity=Severity.WARNING,
    reference="RFC 5652 section 11.3",
    learn_more=VERIFYING,
    title="The signature says it was made in the future",
    explanation="The signature in {origin} gives {signing_time} as the time of signing, which is after "
                "the time of this check ({at}). The signing computer's clock was wrong, or the time "
                "was set on purpose.",
    fix="Check the date, time and time zone of the computer that sent the message, and send it again.")
DIGEST_ALGORITHMS_EMPTY = rule(
    code="message.digest_algorithms_empty", severity=Severity.WARNING,
    reference="RFC 5652 section 5.1",
    learn_more=VERIFYING,
    title="The signature does not list its digest algorithm",
    explanation="The signature in {origin} has a signer but an empty list of digest algorithms. "
                "The list should name the {digest} digest its signer used; some mail apps read it "
                "first and may refuse the signature.",
    fix="This is a fault of the software that made the signature: update it, or sign with another "
        "mail app.")
UNKNOWN_ATTRIBUTE = rule(
    code="message.unknown_attribute", severity=Severity.INFO,
    reference="RFC 8551 section 2.5; RFC 5652 section 5.3",
    learn_more=VERIFYING,
    title="The signature carries an attribute this tool does not know",
    explanation="The signature in {origin} has signed attributes of a type this tool does not "
                "recognise: {attributes}. They are covered by the signature and were checked with it; "
                "mail apps that do not know them skip them.",
    fix="Nothing to fix: a mail app or signing service added information of its own.")
LAYERED = rule(
    code=events.MESSAGE_LAYERS, severity=Severity.INFO, reference="RFC 8551 section 3.7",
    learn_more=LAYERS,
    title="The message has S/MIME layers inside one another",
    explanation="{origin} is built from the outside in as: {summary}. Each signature is checked "
                "on its own below.{sealed}",
    fix="Nothing to fix: signing and encrypting may be applied in either order and more than once. "
        "To check a signature hidden inside an encrypted layer, open the message in your mail app "
        "and save the decrypted message as .eml.")


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


@check
def message_digest_strength(context: CheckContext) -> Iterator[Observation]:
    # RFC 8551 2.1: SHA-256 is what agents must support; SHA-1 and MD5 are kept only to read old mail.
    for message in context.inputs.messages:
        digest = (message.digest_algorithm or "").replace("-", "").lower()
        if digest in WEAK_HASHES:
            yield WEAK_DIGEST.observe(message.signer, origin=message.origin,
                                      hash=digest.upper().replace("SHA", "SHA-"))


@check
def message_signing_time(context: CheckContext) -> Iterator[Observation]:
    # RFC 5652 11.3: signing-time is when the signer says it signed; it cannot be after now.
    for message in context.inputs.messages:
        if message.signing_time is not None and message.signing_time > context.at + CLOCK_SKEW:
            yield SIGNING_TIME_IN_FUTURE.observe(message.signer, origin=message.origin,
                                                 signing_time=message.signing_time, at=context.at)


@check
def message_digest_algorithms(context: CheckContext) -> Iterator[Observation]:
    # RFC 5652 5.1: digestAlgorithms lists the digest algorithms of all signers, for one-pass
    # verification; "implementations MAY fail to validate signatures" whose algorithm is not listed.
    for message in context.inputs.messages:
        if message.digest_algorithms == () and message.signer_number == 1:
            yield DIGEST_ALGORITHMS_EMPTY.observe(message.signer, origin=message.origin,
                                                  digest=message.digest_algorithm)


@check
def message_attributes(context: CheckContext) -> Iterator[Observation]:
    for message in context.inputs.messages:
        unknown = [attribute.oid for attribute in message.signed_attributes if attribute.name is None]
        if unknown:
            yield UNKNOWN_ATTRIBUTE.observe(message.signer, origin=message.origin,
                                            attributes=list(dict.fromkeys(unknown)))
