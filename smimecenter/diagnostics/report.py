"""The result of a diagnosis, and its JSON form shared by the web page, the API and the CLI."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cryptography import x509

from .checks.context import CheckContext
from .checks.usage import can_sign, encryption_blocker
from .findings import Finding, Severity
from .online.report import add_fetched_details, online_section
from .wording import counted, lower_first

__all__ = ["Report", "build_report"]


@dataclass(frozen=True)
class Report:
    status: str  # "fail" | "warn" | "pass"
    summary: str
    checked_at: dt.datetime
    findings: tuple[Finding, ...]
    certificates: tuple[Mapping[str, object], ...]
    chain: tuple[str, ...]  # SHA-256 fingerprints, leaf first
    trust: Mapping[str, object]
    capabilities: Mapping[str, bool]
    messages: tuple[Mapping[str, object], ...] = field(default=())
    # Expert sections after the keys above: "pkcs12", "compatibility" and, when asked for,
    # "compliance" (built by expert_sections.sections_for_context).
    sections: Mapping[str, object] = field(default_factory=dict)
    # What the online checks did, or what was not checked because they were off.
    online: Mapping[str, object] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        return [finding.code for finding in self.findings]

    def has_errors(self) -> bool:
        return any(finding.severity is Severity.ERROR for finding in self.findings)

    def to_dict(self) -> dict[str, object]:
        return {
            "status": self.status,
            "summary": self.summary,
            "checked_at": _iso(self.checked_at),
            "findings": [finding.to_dict() for finding in self.findings],
            "certificates": [dict(c) for c in self.certificates],
            "chain": list(self.chain),
            "trust": dict(self.trust),
            "capabilities": dict(self.capabilities),
            "messages": [dict(m) for m in self.messages],
            "online": _plain(self.online),
            **dict(self.sections),
        }


def build_report(context: CheckContext, findings: Sequence[Finding]) -> Report:
    status = ("fail" if any(f.severity is Severity.ERROR for f in findings)
              else "warn" if any(f.severity is Severity.WARNING for f in findings) else "pass")
    capabilities = _capabilities(context)
    return Report(
        status=status,
        summary=_summary(context, status, findings, capabilities),
        checked_at=context.at,
        findings=tuple(findings),
        certificates=tuple(_certificates(context)),
        chain=tuple(context.facts(c).sha256 for c in context.chain.certificates),
        trust=_trust(context),
        capabilities=capabilities,
        messages=tuple(_message(context, m) for m in context.inputs.messages),
        online=online_section(context),
    )


def _summary(context: CheckContext, status: str, findings: Sequence[Finding],
             capabilities: Mapping[str, bool]) -> str:
    start = context.chain.start
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if start is None:
        # Say why nothing could be checked when it is more than "no certificate" (a password).
        reasons = [f for f in errors if f.code != "input.no_certificate"]
        if reasons:
            return f"Nothing could be checked: {lower_first(reasons[0].title)}."
        return "No certificate was found in what you supplied."
    label = context.facts(start).label
    warnings = [f for f in findings if f.severity is Severity.WARNING]
    if context.leaf is None:
        # Only CA certificates: never "works for S/MIME", there is no person's certificate.
        best = context.chain.best
        if errors:
            state = f"{label} has a problem: {lower_first(errors[0].title)}"
        elif best is not None and best.trusted and best.store is not None:
            state = f"{label} is trusted for email by {best.store.name}"
        else:
            state = f"{label} was checked"
        return (f"Only CA certificates were given; {state}. Paste your own certificate (the one "
                "with your email address) to find out whether it can sign and encrypt mail.")
    if status == "fail":
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"{label} will not work for S/MIME: {lower_first(errors[0].title)}{more}."
    if status == "warn":
        return (f"{label} works for S/MIME, with {counted(len(warnings), 'warning')}; the first: "
                f"{lower_first(warnings[0].title)}.")
    best = context.chain.best
    store = best.store.name if best and best.store else "the trust store"
    can = [word for word, able in (("sign", capabilities["sign"]),
                                   ("receive encrypted mail", capabilities["encrypt"])) if able]
    return f"{label} is trusted for email by {store} and can {' and '.join(can) or 'be used'}."


def _capabilities(context: CheckContext) -> dict[str, bool]:
    leaf = context.leaf
    if leaf is None:
        return {"sign": False, "encrypt": False}
    info = context.facts(leaf)
    for_email = info.leaf_allows_email_protection() and info.key_type in ("RSA", "EC")
    return {"sign": for_email and can_sign(info),
            "encrypt": for_email and encryption_blocker(info) is None}


def _certificates(context: CheckContext) -> list[dict[str, object]]:
    path = context.chain.certificates or ((context.chain.start,) if context.chain.start else ())
    roles: dict[x509.Certificate, str] = {}
    for index, certificate in enumerate(path):
        info = context.facts(certificate)
        if index == 0:
            roles[certificate] = "leaf" if not info.is_ca else "subject"
        elif index == len(path) - 1 and info.self_issued:
            roles[certificate] = "root"
        else:
            roles[certificate] = "intermediate"
    path_names = {context.facts(c).subject_der for c in path}
    for certificate in context.supplied:
        if certificate not in roles:
            related = context.facts(certificate).subject_der in path_names
            roles[certificate] = "alternative" if related else "unrelated"
    described = [context.facts(c).to_dict(role) for c, role in roles.items()]
    return add_fetched_details(context, list(roles), described)


def _trust(context: CheckContext) -> dict[str, object]:
    best = context.chain.best
    anchor = best.anchor if best else None
    store = best.store if best else None
    provenance = {str(k): _plain(v) for k, v in (store.provenance.items() if store else ())}
    return {
        "trusted": context.chain.trusted,
        "anchor": ({"subject": context.facts(anchor).subject, "sha256": context.facts(anchor).sha256}
                   if anchor is not None else None),
        "store": store.name if store else None,
        "store_version": provenance.get("version"),
        "provenance": provenance,
        "stores_consulted": [s.name for s in context.stores],
        "other_paths": [
            {"chain": [context.facts(c).sha256 for c in path.certificates],
             "problems": sorted({p.code for p in path.problems})}
            for path in context.chain.rejected
        ],
    }


def _message(context: CheckContext, message) -> dict[str, object]:
    return {
        "origin": message.origin,
        "kind": message.kind,
        "from_address": message.from_address,
        "signer": context.facts(message.signer).sha256 if message.signer is not None else None,
        "content_intact": message.content_intact,
        "signature_valid": message.signature_valid,
        "digest_algorithm": message.digest_algorithm,
        "signature_algorithm": message.signature_algorithm,
        "signing_time": _iso(message.signing_time) if message.signing_time else None,
        "problem": message.problem,
        "signer_number": message.signer_number,
        "signer_count": message.signer_count,
        "layer": message.layer,
        "digest_algorithms": list(message.digest_algorithms) if message.digest_algorithms is not None else None,
        "signed_attributes": [{"oid": a.oid, "name": a.name} for a in message.signed_attributes],
    }


def _plain(value: object) -> object:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dt.datetime):
        return _iso(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
