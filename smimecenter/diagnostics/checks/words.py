"""The one place where observations become sentences (Finding objects)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from cryptography import x509

from ..certinfo import CertificateFacts
from ..findings import Finding
from ..wording import sentence_case
from .registry import Observation

__all__ = ["describe", "format_moment"]


def format_moment(moment: dt.datetime) -> str:
    moment = moment.astimezone(dt.timezone.utc)
    return f"{moment.day} {moment:%B %Y}, {moment:%H:%M} UTC"


def _render(value: object) -> str:
    if isinstance(value, dt.datetime):
        return format_moment(value)
    if isinstance(value, x509.Name):
        return value.rfc4514_string() or "(an empty name)"
    if isinstance(value, (list, tuple)):
        return ", ".join(_render(v) for v in value) or "none"
    if value is None:
        return "unknown"
    return str(value)


def _sentence(text: str) -> str:
    """Templates may start with a detail ("the input contains..."): start the sentence upper-case
    (wording.sentence_case keeps an address's local part as written, RFC 5321 section 2.4)."""
    return sentence_case(" ".join(text.split()))


class _Details(dict):
    """A finding's words. A certificate's dates are written out only when the rule's text uses them
    (few rules do), so nothing is formatted, or kept, for the others."""

    def __init__(self, values: dict[str, str], info: CertificateFacts | None) -> None:
        super().__init__(values)
        self.info = info

    def __missing__(self, key: str) -> str:
        if self.info is not None and key in ("not_after", "not_before"):
            self[key] = format_moment(getattr(self.info, key))
            return self[key]
        return "unknown"


def describe(observation: Observation,
             facts: Callable[[x509.Certificate], CertificateFacts]) -> Finding:
    rule = observation.rule
    values: dict[str, str] = {}
    info = fingerprint = None
    if observation.certificate is not None:
        info = facts(observation.certificate)
        fingerprint = info.sha256
        values.update(certificate=info.label, subject=info.subject, issuer=info.issuer)
    values.update({key: _render(value) for key, value in observation.details.items()})
    words = _Details(values, info)
    return Finding(
        code=rule.code,
        severity=rule.severity,
        title=_sentence(rule.title.format_map(words)),
        explanation=_sentence(rule.explanation.format_map(words)),
        fix=_sentence(rule.fix.format_map(words)),
        learn_more=rule.learn_more,
        certificate=fingerprint,
        reference=rule.reference,
        parser_message=str(observation.details["parser_message"])
        if observation.details.get("parser_message") else None,
        details=dict(observation.record) or None,
    )
