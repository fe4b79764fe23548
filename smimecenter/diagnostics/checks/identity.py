"""Whose address the certificate carries (RFC 8550 section 3, CA/B Forum S/MIME BR 7.1.4.2.1)."""
from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

EMAIL_MISMATCH = rule(
    code="identity.email_mismatch", severity=Severity.ERROR,
    reference="RFC 8550 section 3; RFC 8551 section 2.4.1",
    learn_more="/learn/subjectaltname-email-identity/#email-mismatch",
    title="The certificate is for a different address",
    explanation="The address {expected} ({source}) is not among the addresses of "
                "{certificate}: {addresses}. Mail clients warn when the sender's address is not "
                "in the certificate.",
    fix="Use the certificate issued for {expected}, or get one for that address; an address "
        "differing only in upper/lower case of the domain is fine.")
EMAIL_ONLY_IN_SUBJECT = rule(
    code="identity.email_only_in_subject", severity=Severity.WARNING,
    reference="RFC 8550 section 3; CA/B Forum S/MIME BR section 7.1.2.3 (h)",
    learn_more="/learn/subjectaltname-email-identity/#email-only-in-subject",
    title="The address is only in the subject name",
    explanation="{certificate} carries {addresses} only as an emailAddress in its subject, not in "
                "the subjectAltName extension where current mail clients look.",
    fix="Get a new certificate; any CA following the S/MIME Baseline Requirements puts the "
        "address in the subjectAltName.")
NO_EMAIL = rule(
    code="identity.no_email", severity=Severity.ERROR,
    reference="RFC 8550 section 3; CA/B Forum S/MIME BR section 7.1.2.3 (h)",
    learn_more="/learn/subjectaltname-email-identity/#no-email",
    title="The certificate has no email address",
    explanation="{certificate} names no mailbox at all (no rfc822Name or SmtpUTF8Mailbox in the "
                "subjectAltName, no emailAddress in the subject), so mail clients cannot tie it "
                "to an address.",
    fix="Request an S/MIME certificate for your email address; this one was likely made for a "
        "different purpose (a web server, a person's login).")


def same_mailbox(a: str, b: str) -> bool:
    """RFC 5321 section 2.4: the local part is compared as given, the domain without case."""
    a_local, a_at, a_domain = a.strip().rpartition("@")
    b_local, b_at, b_domain = b.strip().rpartition("@")
    if not (a_at and b_at):
        return a.strip() == b.strip()
    return a_local == b_local and a_domain.lower() == b_domain.lower()


@check
def identity(context: CheckContext) -> Iterator[Observation]:
    leaf = context.leaf
    if leaf is None:
        return
    info = context.facts(leaf)
    if not info.emails:
        yield NO_EMAIL.observe(leaf)
        return
    if not info.san_emails and not info.smtp_utf8_emails:
        yield EMAIL_ONLY_IN_SUBJECT.observe(leaf, addresses=list(info.subject_emails))
    for expected, source in context.expected_addresses:
        if not any(same_mailbox(expected, address) for address in info.emails):
            yield EMAIL_MISMATCH.observe(leaf, expected=expected, source=source,
                                         addresses=list(info.emails))
