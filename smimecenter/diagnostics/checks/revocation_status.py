"""What the CA says about revocation, asked online: OCSP (RFC 6960) or the CRL (RFC 5280 section 5).

Each certificate of the path gets one finding; "good" is information, a revoked certificate fails
the verdict, and an answer we could not get or could not believe is a warning, because mail apps
that check revocation may then refuse the certificate or warn too.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from ..online import revocation as status
from .context import CheckContext
from .registry import Observation, check, rule

REVOKED_SECTION = "/learn/certificate-exists-but-unusable/#revocation"
CHECK_FAILED_SECTION = "/troubleshooting/digital-signature-invalid-or-not-trusted/#revocation-check"
ASKED = "We asked the certificate authority's {source} at {url}; the answer is dated {answered_at}."

REVOKED = rule(
    code="revocation.revoked", severity=Severity.ERROR,
    reference="RFC 6960 section 2.2; RFC 5280 section 5.3.1",
    learn_more=REVOKED_SECTION,
    title="{certificate} has been revoked",
    explanation="The certificate authority revoked {certificate} on {revoked_at} (reason: {reason}). Mail "
                "apps that check revocation reject it. " + ASKED,
    fix="Stop using this certificate and ask your certificate authority for a new one with a new key "
        "pair; if the key was exposed, do not reuse it.")

GOOD = rule(
    code="revocation.good", severity=Severity.INFO,
    reference="RFC 6960 section 2.2; RFC 5280 section 6.3",
    learn_more=REVOKED_SECTION,
    title="{certificate} is not revoked",
    explanation="The certificate authority says {certificate} is not revoked. " + ASKED,
    fix="Nothing to do.")

UNKNOWN = rule(
    code="revocation.unknown", severity=Severity.WARNING,
    reference="RFC 6960 section 2.2",
    learn_more=REVOKED_SECTION,
    title="The certificate authority does not know {certificate}",
    explanation="The {source} at {url} answered \u201cunknown\u201d for {certificate}: it has no record of "
                "it, so mail apps cannot learn whether it was revoked. The answer is dated {answered_at}.",
    fix="Ask your certificate authority why its OCSP responder does not know this certificate.")

UNREACHABLE = rule(
    code="revocation.unreachable", severity=Severity.WARNING,
    reference="RFC 6960 section 2.3; RFC 5280 section 6.3",
    learn_more=CHECK_FAILED_SECTION,
    title="Whether {certificate} is revoked could not be found out",
    explanation="We asked the certificate authority's {source} at {url} about {certificate} but got no "
                "usable answer: {detail}. Mail apps that cannot check revocation may warn or refuse.",
    fix="Try again later; if it persists, tell your certificate authority that its {source} at {url} "
        "does not answer properly.")

STALE = rule(
    code="revocation.stale", severity=Severity.WARNING,
    reference="RFC 6960 section 4.2.2.1; RFC 5280 section 6.3.3",
    learn_more=CHECK_FAILED_SECTION,
    title="The revocation answer for {certificate} is out of date",
    explanation="The certificate authority's {source} at {url} gave an answer about {certificate} that is "
                "not current: {detail}. Mail apps do not rely on an out-of-date answer.",
    fix="Tell your certificate authority that its {source} at {url} serves out-of-date answers.")

BAD_SIGNATURE = rule(
    code="revocation.bad_signature", severity=Severity.WARNING,
    reference="RFC 6960 sections 3.2 and 4.2.2.2; RFC 5280 section 6.3.3",
    learn_more=CHECK_FAILED_SECTION,
    title="The revocation answer for {certificate} cannot be trusted",
    explanation="The answer from the {source} at {url} about {certificate} failed its checks: {detail}. "
                "Mail apps ignore such an answer, as we do.",
    fix="Tell your certificate authority that its {source} at {url} signs its answers incorrectly.")

_RULES = {status.REVOKED: REVOKED, status.GOOD: GOOD, status.UNKNOWN: UNKNOWN,
          status.UNREACHABLE: UNREACHABLE, status.STALE: STALE, status.BAD_SIGNATURE: BAD_SIGNATURE}


@check
def revocation_status(context: CheckContext) -> Iterator[Observation]:
    if context.online is None:
        return
    for answer in context.online.revocation:
        yield _RULES[answer.status].observe(
            answer.certificate, source="OCSP responder" if answer.source == "OCSP" else "CRL",
            url=answer.url, detail=answer.detail, answered_at=answer.answered_at,
            revoked_at=answer.revoked_at, reason=answer.reason)
