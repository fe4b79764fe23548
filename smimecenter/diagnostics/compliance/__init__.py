"""CA/B Forum S/MIME Baseline Requirements compliance: pkilint for the leaf, our own checks for CAs.

Run only when asked for (it costs far more than a diagnosis the first time): `check_compliance(...)`
returns a ComplianceSection whose `to_dict()` is the report's "compliance" section.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ..certinfo import CertificateFacts, facts_of
from ..checks.registry import Observation
from ..checks.words import describe
from ..findings import Finding, Severity
from .br_types import BrType, detect_br_type
from .intermediates import intermediate_problems
from .mapping import explain, severity_of
from .pkilint_runner import LinterUnavailable, LintFinding, cached, lint_leaf, linter_version

__all__ = ["ComplianceSection", "check_compliance", "lint_findings"]

GENERIC_LEARN_MORE = "/learn/what-is-a-certificate-authority/#public-vs-private-ca"
# When the certificate names no S/MIME BR type, pkilint lints it as a guessed legacy-generation one; the
# legacy sunset (S/MIME BR 1.2.1) then says nothing about the certificate itself, so it is not shown.
GUESS_ARTEFACTS = frozenset({"cabf.smime.legacy_generation_certificate_issued_after_prohibition"})


@dataclass(frozen=True)
class CertificateCompliance:
    sha256: str
    subject: str
    role: str  # "leaf" | "intermediate"
    findings: tuple[Finding, ...]
    br_type: BrType | None = None
    linted_as: str | None = None  # "MAILBOX-STRICT"
    type_source: str | None = None  # "policy" | "guessed"

    def to_dict(self) -> dict[str, object]:
        return {"sha256": self.sha256, "subject": self.subject, "role": self.role,
                "br_type": self.br_type.to_dict() if self.br_type else None,
                "linted_as": self.linted_as, "type_source": self.type_source,
                "findings": [f.to_dict() for f in self.findings]}


@dataclass(frozen=True)
class ComplianceSection:
    certificates: tuple[CertificateCompliance, ...]
    linter: dict[str, object] = field(default_factory=dict)

    @property
    def findings(self) -> list[Finding]:
        return [f for c in self.certificates for f in c.findings]

    @property
    def status(self) -> str:
        severities = {f.severity for f in self.findings}
        if Severity.ERROR in severities:
            return "fail"
        return "warn" if Severity.WARNING in severities else "pass"

    def to_dict(self) -> dict[str, object]:
        return {"status": self.status, "linter": dict(self.linter),
                "certificates": [c.to_dict() for c in self.certificates]}


def lint_findings(findings: Sequence[LintFinding], info: CertificateFacts) -> list[Finding]:
    """pkilint's findings in our shape: its code and citation kept, our words for the common codes."""
    result: list[Finding] = []
    for item in findings:
        severity = severity_of(item.severity)
        if severity is None:
            continue
        explained = explain(item.code)
        section = (explained.section if explained else None) or item.section
        reference = (f"CA/B Forum S/MIME BR section {section} (pkilint {item.code})" if section
                     else f"CA/B Forum S/MIME BR (pkilint {item.code})")
        detail = f" pkilint says: {item.message}." if item.message else ""
        where = f" (in {item.path})" if item.path else ""
        title = explained.title if explained else f"S/MIME BR linter finding {item.code}"
        result.append(Finding(
            code=item.code,
            severity=Severity(severity),
            title=title,
            explanation=f"{info.label}: {title[:1].lower() + title[1:]}{where}.{detail}",
            fix=explained.fix if explained else ("This is a rule for the certificate authority; if it "
                                                 "matters to you, ask it to reissue the certificate."),
            learn_more=explained.learn_more if explained else GENERIC_LEARN_MORE,
            certificate=info.sha256,
            reference=reference,
        ))
    return sorted(result, key=lambda f: f.severity.rank)


def check_compliance(leaf: x509.Certificate | None, intermediates: Sequence[x509.Certificate] = (), *,
                     facts: Callable[[x509.Certificate], CertificateFacts] | None = None) -> ComplianceSection:
    """Lint the leaf with pkilint (cached by fingerprint) and the intermediates with our own checks."""
    cache: dict[int, CertificateFacts] = {}
    facts = facts or (lambda certificate: facts_of(certificate, cache))
    entries: list[CertificateCompliance] = []
    linter: dict[str, object] = {"name": "pkilint", "version": linter_version(), "available": True,
                                 "problem": None, "cached": None, "seconds": None, "br_version": None}
    leaf_info = facts(leaf) if leaf is not None else None
    if leaf_info is not None:
        entries.append(_leaf_entry(leaf_info, linter))
    for certificate in intermediates:
        info = facts(certificate)
        problems = intermediate_problems(info, leaf_info)
        findings = sorted((describe(Observation(rule, certificate, details), facts) for rule, details in problems),
                          key=lambda f: f.severity.rank)
        entries.append(CertificateCompliance(info.sha256, info.subject, "intermediate", tuple(findings)))
    return ComplianceSection(tuple(entries), linter)


def _leaf_entry(info: CertificateFacts, linter: dict[str, object]) -> CertificateCompliance:
    br_type = detect_br_type(info)
    was_cached = cached(info.sha256) is not None
    started = time.perf_counter()
    try:
        result = lint_leaf(info.certificate.public_bytes(serialization.Encoding.DER), info.sha256)
    except LinterUnavailable as problem:
        linter.update(available=False, problem=str(problem))
        # Never "pass" for a certificate nobody linted: say so, and why.
        return CertificateCompliance(info.sha256, info.subject, "leaf",
                                     (_not_linted(info, str(problem)),), br_type)
    linter.update(cached=was_cached, seconds=round(time.perf_counter() - started, 4),
                  br_version=result.br_version)
    if result.type_source == "policy":
        br_type = detect_br_type(info, linted_as=(result.validation, result.generation))
    findings = [f for f in result.findings
                if not (result.type_source == "guessed" and f.code in GUESS_ARTEFACTS)]
    return CertificateCompliance(
        info.sha256, info.subject, "leaf", tuple(lint_findings(findings, info)), br_type,
        linted_as=f"{result.validation}-{result.generation}", type_source=result.type_source)


def _not_linted(info: CertificateFacts, reason: str) -> Finding:
    return Finding(
        code="compliance.not_linted", severity=Severity.WARNING,
        title="This certificate was not checked against the Baseline Requirements",
        explanation=f"{info.label} could not be linted: {reason}. Nothing here says whether it "
                    "meets the S/MIME Baseline Requirements.",
        fix="The rest of the report still applies. Try again later, or lint the certificate with "
            "pkilint yourself.",
        learn_more=GENERIC_LEARN_MORE, certificate=info.sha256,
        reference="CA/B Forum S/MIME BR (pkilint)")
