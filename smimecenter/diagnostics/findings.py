"""What a diagnosis says: one Finding per problem (or notable fact), with its words already written."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

__all__ = ["Finding", "Severity"]


class Severity(str, Enum):
    """How much a finding matters: an error breaks S/MIME for someone, a warning may, info never does."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    title: str
    explanation: str
    fix: str
    learn_more: str
    certificate: str | None  # SHA-256 fingerprint (hex) of the certificate concerned
    reference: str
    parser_message: str | None = None  # a parser's own words, for experts; the explanation is plain English
    # The facts behind a judgement, for machines (e.g. why a chain is judged to lack a private root).
    details: Mapping[str, object] | None = field(default=None, hash=False)

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "title": self.title,
            "explanation": self.explanation,
            "fix": self.fix,
            "learn_more": self.learn_more,
            "certificate": self.certificate,
            "reference": self.reference,
            **({"parser_message": self.parser_message} if self.parser_message else {}),
            **({"details": dict(self.details)} if self.details else {}),
        }
