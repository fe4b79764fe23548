"""Words for what csr_check finds in a certificate signing request (RFC 2986, S/MIME BR 6.1.5, 7.1.2.3)."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from cryptography import x509

from ..certinfo import facts_of
from ..csr_check import CsrProblem, examine
from ..findings import Finding, Severity
from .context import CheckContext
from .registry import Observation, Rule, check, rule
from .words import describe

__all__ = ["CSR_RULES", "csr_findings"]

WHAT_GOES_IN = "/learn/what-is-a-csr/#what-goes-in-a-csr"

CSR_RULES: dict[str, Rule] = {r.code: r for r in (
    rule(code="csr.bad_signature", severity=Severity.ERROR, reference="RFC 2986 section 3",
         learn_more="/learn/what-is-a-csr/#csr-vs-certificate",
         title="The request's signature does not match its key",
         explanation="The request for \u201c{subject}\u201d is not signed by the private key of the public key "
                     "it carries, so it was damaged or altered after it was made. A CA will refuse it.",
         fix="Create the request again with the tool that holds your private key, and send it unchanged."),
    rule(code="csr.weak_signature", severity=Severity.ERROR,
         reference="CA/B Forum S/MIME BR section 7.1.3.2; RFC 8551 section 2.1",
         learn_more="/learn/rsa-vs-ecc/#signature-algorithms",
         title="The request is signed with a broken algorithm",
         explanation="The request for \u201c{subject}\u201d is signed with {algorithm}; CAs refuse requests "
                     "signed with MD5 or SHA-1.",
         fix="Create the request again with SHA-256 (openssl req ... -sha256)."),
    rule(code="csr.weak_key", severity=Severity.ERROR, reference="CA/B Forum S/MIME BR section 6.1.5",
         learn_more="/learn/rsa-vs-ecc/#key-sizes",
         title="The key in the request is too short",
         explanation="The request for \u201c{subject}\u201d carries a {bits}-bit RSA key; publicly-trusted "
                     "S/MIME certificates need at least 2048 bits.",
         fix="Make a new key of 2048 bits or more (3072 is a good choice) and a new request: "
             "openssl req -new -newkey rsa:3072 -keyout key.pem -out request.csr"),
    rule(code="csr.unsupported_key", severity=Severity.ERROR, reference="CA/B Forum S/MIME BR section 6.1.5",
         learn_more="/learn/rsa-vs-ecc/#key-sizes",
         title="CAs do not issue S/MIME certificates for this kind of key",
         explanation="The request for \u201c{subject}\u201d carries a key of type {key}. The S/MIME Baseline "
                     "Requirements permit only RSA (2048 bits or more, a multiple of 8), ECDSA on P-256, "
                     "P-384 or P-521, and EdDSA.",
         fix="Make a new RSA 3072-bit or P-256 key and a new request."),
    rule(code="csr.eddsa_key", severity=Severity.WARNING,
         reference="CA/B Forum S/MIME BR sections 6.1.5 and 7.1.2.3 (e)",
         learn_more="/learn/rsa-vs-ecc/#eddsa",
         title="Mail clients cannot use this key yet",
         explanation="The request for \u201c{subject}\u201d carries an {key} key. The rules allow it, but such a "
                     "certificate can only sign, never receive encrypted mail, and the common mail clients "
                     "do not accept EdDSA for S/MIME yet.",
         fix="Unless you know your recipients' mail clients accept it, make an RSA (3072-bit) or P-256 key "
             "instead."),
    rule(code="csr.no_email", severity=Severity.ERROR, reference="CA/B Forum S/MIME BR sections 1.1 and 7.1.2.3 (h)",
         learn_more=WHAT_GOES_IN,
         title="The request names no email address",
         explanation="The request for \u201c{subject}\u201d has no email address, neither in a requested "
                     "subjectAltName nor in the subject. An S/MIME certificate is bound to a mailbox.",
         fix="Add your address as a subjectAltName: openssl req ... -addext "
             "\"subjectAltName=email:you@example.com\" (some CAs take the address from their order form "
             "instead; check with yours)."),
    rule(code="csr.email_only_in_subject", severity=Severity.WARNING,
         reference="CA/B Forum S/MIME BR sections 7.1.2.3 (h) and 7.1.4.2.1",
         learn_more="/learn/subjectaltname-email-identity/#email-only-in-subject",
         title="The address is only in the subject, not in subjectAltName",
         explanation="The request for \u201c{subject}\u201d carries {addresses} only as a subject emailAddress. "
                     "Mail clients look for the address in subjectAltName, where the CA must put it.",
         fix="Most CAs copy the validated address into subjectAltName themselves. To be sure, add it: "
             "-addext \"subjectAltName=email:{addresses}\"."),
    rule(code="csr.email_mismatch", severity=Severity.ERROR, reference="CA/B Forum S/MIME BR section 3.2.2",
         learn_more="/learn/subjectaltname-email-identity/#email-mismatch",
         title="The request is for a different address",
         explanation="You expect {expected}, but the request names {addresses}. The CA validates and "
                     "certifies the addresses in the request, so the certificate would not match your mailbox.",
         fix="Create the request again with the right address."),
    rule(code="csr.fields_replaced", severity=Severity.INFO,
         reference="CA/B Forum S/MIME BR sections 7.1.2.3 and 7.1.4.2",
         learn_more=WHAT_GOES_IN,
         title="The CA will replace or drop some fields of the request",
         explanation="The request for \u201c{subject}\u201d asks for subject fields ({attributes}) and extensions "
                     "({extensions}) that the CA decides itself: it writes key usage, extended key usage and "
                     "the other extensions from its certificate profile, and puts only validated names in the "
                     "subject (a mailbox-validated certificate carries just the address, a common name and "
                     "perhaps a serial number). Nothing is wrong; the certificate may simply differ.",
         fix="Nothing to do. Check the issued certificate here when it arrives."),
    rule(code="csr.requests_ca", severity=Severity.WARNING,
         reference="CA/B Forum S/MIME BR section 7.1.2.3 (d)",
         learn_more=WHAT_GOES_IN,
         title="The request asks to be a certificate authority",
         explanation="The request for \u201c{subject}\u201d asks for basicConstraints cA=true. An S/MIME "
                     "certificate must not be a CA; a CA will ignore this or refuse the request.",
         fix="Create the request without the CA extension (remove basicConstraints from the request "
             "configuration)."),
    rule(code="csr.challenge_password", severity=Severity.WARNING, reference="RFC 2985 section 5.4.1",
         learn_more=WHAT_GOES_IN,
         title="The request carries a challenge password in clear text",
         explanation="The request for \u201c{subject}\u201d includes a challengePassword attribute. It is not "
                     "encrypted, anyone who sees the request can read it, and S/MIME CAs do not use it.",
         fix="Create the request again and leave the challenge password empty; never reuse that password."),
)}


def _observations(problems: Sequence[CsrProblem]) -> Iterator[Observation]:
    for problem in problems:
        declared = CSR_RULES.get(problem.code)
        if declared is not None:
            yield declared.observe(**problem.details)


@check
def certificate_requests(context: CheckContext) -> Iterator[Observation]:
    for request in context.inputs.csrs:
        yield from _observations(examine(request, email=context.email))


def csr_findings(request: x509.CertificateSigningRequest, *, email: str | None = None,
                 problems: Sequence[CsrProblem] | None = None) -> list[Finding]:
    """Findings for one request alone (the CSR checker page), errors first."""
    found = problems if problems is not None else examine(request, email=email)
    cache: dict = {}
    findings = [describe(o, lambda c: facts_of(c, cache)) for o in _observations(found)]
    return sorted(findings, key=lambda finding: finding.severity.rank)
