"""Whose address the certificate carries (RFC 8550 section 3, CA/B Forum S/MIME BR 7.1.4.2.1)."""
from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from ..name_constraints import address_defect
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

EMAIL_CASE_ONLY = rule(
    code="identity.email_case_differs", severity=Severity.INFO,
    reference="RFC 5321 section 2.4; NSS lib/certdb/certdb.c (CERT_FixupEmailAddr)",
    learn_more="/learn/subjectaltname-email-identity/#email-mismatch",
    title="The address differs only in upper/lower case",
    explanation="{expected} ({source}) matches {address} in {certificate} except for upper/lower "
                "case before the @. Thunderbird (through NSS, which lowercases every address it "
                "stores and looks up) treats them as the same address, so this works there. "
                "Strictly, RFC 5321 lets a mail server treat the two spellings as different "
                "mailboxes, which almost none do.",
    fix="Nothing required. To be exact, write the address the way the certificate does.")
MALFORMED_ADDRESS = rule(
    code="identity.malformed_address", severity=Severity.ERROR,
    reference="RFC 5280 section 4.2.1.6; RFC 5321 section 4.1.2; RFC 1035 section 2.3.4",
    learn_more="/learn/subjectaltname-email-identity/#no-email",
    title="An address in the certificate is not a valid email address",
    explanation="{certificate} carries \u201c{address}\u201d as an email address, but {reason}. "
                "Mail clients cannot match it to any sender, and a CA constrained to certain "
                "domains may not certify it.",
    fix="Ask the certificate authority to reissue the certificate with the correct address.")


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
    for address in info.emails:
        reason = address_defect(address)
        if reason is not None:
            yield MALFORMED_ADDRESS.observe(leaf, address=address, reason=reason)
    if not info.san_emails and not info.smtp_utf8_emails:
        yield EMAIL_ONLY_IN_SUBJECT.observe(leaf, addresses=list(info.subject_emails))
    for expected, source in context.expected_addresses:
        if any(same_mailbox(expected, address) for address in info.emails):
            continue
        by_case = next((a for a in info.emails if a.strip().casefold() == expected.strip().casefold()),
                       None)
        if by_case is not None:
            yield EMAIL_CASE_ONLY.observe(leaf, expected=expected, source=source, address=by_case)
        else:
            yield EMAIL_MISMATCH.observe(leaf, expected=expected, source=source,
                                         addresses=list(info.emails))
