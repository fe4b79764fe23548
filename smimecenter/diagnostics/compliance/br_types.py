"""The S/MIME certificate type and generation a certificate claims, from its reserved policy OID.

CA/B Forum S/MIME BR section 7.1.6.1: 2.23.140.1.5.<type>.<generation>, types 1 mailbox, 2 organization,
3 sponsor, 4 individual validated; generations 1 legacy, 2 multipurpose, 3 strict. Section 7.1.2.3 (a):
a subscriber certificate carries exactly one of them.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..certinfo import CertificateFacts

__all__ = ["BrType", "detect_br_type"]

TYPE_WORDS = {
    "mailbox-validated": "the CA checked only that the holder controls the mailbox",
    "organization-validated": "the CA checked the organization named in the certificate, which owns the mailbox",
    "sponsor-validated": "the CA checked the organization and the person it sponsors (for example an employee)",
    "individual-validated": "the CA checked the identity of the person named in the certificate",
}
GENERATION_WORDS = {
    "strict": "the tightest profile: email protection only, at most 825 days",
    "multipurpose": "email protection plus other uses such as client authentication, at most 825 days",
    "legacy": "the transitional profile, at most 1185 days; no longer issued since 15 July 2025 "
              "(S/MIME BR section 1.2.1, ballot SMC08)",
}


@dataclass(frozen=True)
class BrType:
    oid: str | None
    validation: str | None  # "mailbox-validated", ...
    generation: str | None  # "legacy" | "multipurpose" | "strict"
    all_oids: tuple[str, ...]  # every reserved S/MIME OID found (more than one is itself a violation)

    @property
    def detected(self) -> bool:
        return self.validation is not None and self.generation is not None

    @property
    def words(self) -> str:
        if not self.all_oids:
            return ("No S/MIME Baseline Requirements policy: this certificate does not claim to be a "
                    "publicly-trusted S/MIME certificate issued under those rules (a private CA, or a "
                    "certificate from before September 2023).")
        if not self.detected:
            return f"The policy {self.oid} is in the S/MIME BR range but names no type this tool knows."
        text = (f"{self.validation.capitalize()}, {self.generation} generation: "
                f"{TYPE_WORDS[self.validation]}; {GENERATION_WORDS[self.generation]}.")
        if len(self.all_oids) > 1:
            text += f" It also carries {', '.join(self.all_oids[1:])}, but only one such policy is allowed."
        return text

    def to_dict(self) -> dict[str, object]:
        return {"oid": self.oid, "validation": self.validation, "generation": self.generation,
                "all_oids": list(self.all_oids), "detected": self.detected, "words": self.words}


# pkilint's names for the validation levels, as ours.
PKILINT_LEVELS = {"MAILBOX": "mailbox-validated", "ORGANIZATION": "organization-validated",
                  "SPONSORED": "sponsor-validated", "INDIVIDUAL": "individual-validated"}


def detect_br_type(info: CertificateFacts, *, linted_as: tuple[str, str] | None = None) -> BrType:
    """The type the certificate claims. With several reserved OIDs (itself a violation), the one
    the linter judged it by (`linted_as`, pkilint's level and generation names) is shown, so the
    type shown and the type linted are always the same."""
    reserved = [p for p in info.policies if p.oid.startswith("2.23.140.1.5.")]
    if not reserved:
        return BrType(None, None, None, ())
    known = [p for p in reserved if p.smime_type and p.generation]
    if linted_as is not None:
        level, generation = PKILINT_LEVELS.get(linted_as[0]), linted_as[1].lower()
        known.sort(key=lambda p: (p.smime_type, p.generation) != (level, generation))
    first = known[0] if known else reserved[0]
    others = tuple(p.oid for p in reserved if p.oid != first.oid)
    return BrType(first.oid, first.smime_type, first.generation, (first.oid, *others))
