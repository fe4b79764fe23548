"""The result of a diagnosis, and its JSON form shared by the web page, the API and the CLI."""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cryptography import x509

from .checks.context import CheckContext
from .checks.usage import can_sign, encryption_blocker
from .findings import Finding, Severity
from .online.report import add_fetched_details, online_section
from .verdict import Facts, Verdict, agree_compatibility, decide, in_priority_order
from .wording import counted, lower_first

__all__ = ["Report", "build_report", "with_sections"]


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
    # Whose question the input asks and the one answer to it (diagnostics/verdict.py); None only
    # for reports built by hand.
    verdict: Verdict | None = None

    @property
    def codes(self) -> list[str]:
        return [finding.code for finding in self.findings]

    def has_errors(self) -> bool:
        return any(finding.severity is Severity.ERROR for finding in self.findings)

    def to_dict(self) -> dict[str, object]:
        verdict = self.verdict.to_dict() if self.verdict is not None else None
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
            # Added after the keys above so that readers of the older shape keep their order.
            "question": verdict["question"] if verdict else None,
            "verdict": verdict,
            **dict(self.sections),
        }


def build_report(context: CheckContext, findings: Sequence[Finding]) -> Report:
    status = ("fail" if any(f.severity is Severity.ERROR for f in findings)
              else "warn" if any(f.severity is Severity.WARNING for f in findings) else "pass")
    capabilities = _capabilities(context)
    verdict = decide(findings, _verdict_facts(context, capabilities))
    return Report(
        status=status,
        summary=_summary(context, status, findings, capabilities, verdict),
        checked_at=context.at,
        findings=tuple(_reasons_first(verdict, in_priority_order(findings))),
        certificates=tuple(_certificates(context)),
        chain=tuple(context.facts(c).sha256 for c in context.chain.certificates),
        trust=_trust(context),
        capabilities=capabilities,
        messages=tuple(_message(context, m) for m in context.inputs.messages),
        online=online_section(context),
        verdict=verdict,
    )


def _reasons_first(verdict: Verdict, ordered: Sequence[Finding]) -> list[Finding]:
    """What decided the verdict comes first, so the first finding a person reads is what its headline names."""
    if verdict.state == "works":
        return list(ordered)
    reasons = [f for f in verdict.reasons if f in ordered]
    return reasons + [f for f in ordered if f not in reasons]


def with_sections(report: Report, sections: Mapping[str, object]) -> Report:
    """The report with its expert sections, the mail-app table agreeing with the verdict."""
    sections = dict(sections)
    if report.verdict is not None and "compatibility" in sections:
        sections["compatibility"] = agree_compatibility(sections["compatibility"], report.verdict)
    return dataclasses.replace(report, sections=sections)


def _verdict_facts(context: CheckContext, capabilities: Mapping[str, bool]) -> Facts:
    best = context.chain.best
    signers = {m.signer for m in context.inputs.messages if m.signer is not None}
    return Facts(
        has_certificate=context.chain.start is not None,
        has_leaf=context.leaf is not None,
        # A signed message is checked for its recipient when its signer is the certificate explained.
        received_message=bool(signers) and context.chain.start in signers,
        chain_trusted=context.chain.trusted,
        publicly_trusted=context.publicly_trusted,
        trusted_by=best.store.name if best and best.trusted and best.store is not None else None,
        revocation_checked=context.online is not None and bool(context.online.revocation),
        capabilities=capabilities,
        leaf_purposes=tuple(context.facts(context.leaf).eku or ()) if context.leaf is not None else (),
    )


def _summary(context: CheckContext, status: str, findings: Sequence[Finding],
             capabilities: Mapping[str, bool], verdict: Verdict) -> str:
    """One sentence answering the verdict's question, in the words of its first reason."""
    first = verdict.reasons[0] if verdict.reasons else None
    if verdict.state == "could_not_check":
        if verdict.headline_key == "could_not_check.private_key_only" and first is not None:
            return f"You supplied a private key and no certificate, so nothing was checked. {first.fix}"
        if first is not None and first.code not in ("input.no_certificate", "input.unreadable", "input.empty"):
            return f"Nothing could be checked: {lower_first(first.title)}."
        return "No certificate was found in what you supplied."
    start = context.chain.start
    label = context.facts(start).label
    errors = [f for f in findings if f.severity is Severity.ERROR]
    warnings = [f for f in findings if f.severity is Severity.WARNING]
    where = _trusted_where(context)
    if verdict.question == "received_message":
        return _message_summary(verdict, label, where, first, warnings)
    if context.leaf is None:
        # Only CA certificates: never "works for S/MIME", there is no person's certificate.
        if verdict.headline_key == "ca.private_key_exposed" and first is not None:
            state = f"a private key was supplied too. {first.fix}"
        elif errors:
            state = f"{label} has a problem: {lower_first(errors[0].title)}"
        elif context.chain.trusted:
            state = f"{label} is trusted for email by {where}"
        else:
            state = f"{label} was checked"
        return (f"Only CA certificates were given; {state}. Paste your own certificate (the one "
                "with your email address) to find out whether it can sign and encrypt mail.")
    more = f" (and {len(verdict.reasons) - 1} more)" if len(verdict.reasons) > 1 else ""
    if verdict.headline_key == "own.private_key_exposed" and first is not None:
        return f"A private key was supplied with {label}. {first.fix}"
    if verdict.headline_key == "own.private_root_not_supplied":
        return (f"{label} comes from what looks like your organisation's own certificate authority, whose "
                "root this check does not have: add your organisation's root to finish the check. Mail apps "
                "trust the certificate only on devices where that root is installed.")
    if verdict.headline_key.startswith("own.wrong_kind") and first is not None:
        return f"{label} cannot be used for email, whatever else is fixed. {first.fix}"
    if status == "fail" and first is not None:
        return f"{label} will not work for S/MIME: {lower_first(first.title)}{more}."
    if status == "warn":
        return (f"{label} works for S/MIME, with {counted(len(warnings), 'warning')}; the first: "
                f"{lower_first(warnings[0].title)}.")
    can = [word for word, able in (("sign", capabilities["sign"]),
                                   ("receive encrypted mail", capabilities["encrypt"])) if able]
    return f"{label} is trusted for email by {where} and can {' and '.join(can) or 'be used'}."


def _message_summary(verdict: Verdict, label: str, where: str, first: Finding | None,
                     warnings: Sequence[Finding]) -> str:
    """For the recipient: is it from them, unchanged, and will my app trust it? Never "your certificate"."""
    key = verdict.headline_key
    if key == "message.changed":
        return ("The message was changed after it was signed, so its signature no longer vouches for what it "
                f"says. This is about the message, not about the certificate of {label}.")
    if key == "message.not_from_sender" and first is not None:
        return (f"The message is unchanged since {label} signed it, but the address it claims to be from is not "
                f"in the signer's certificate, so the signature does not show who sent it. {first.explanation}")
    if key == "message.unverified" and first is not None:
        return f"The signature could not be checked: {lower_first(first.title)}."
    if key == "message.private_root_not_supplied":
        return (f"The message is unchanged since {label} signed it, but the sender's certificate comes from "
                "their organisation's own certificate authority, whose root this check does not have: mail "
                "apps trust it only where that root is installed.")
    if verdict.state == "does_not_work" and first is not None:
        # Whatever stops the sender's certificate (untrusted, expired, ...): never "trusted" below a failure.
        return (f"The message is unchanged since {label} signed it, but mail apps will not trust the "
                f"sender's certificate: {lower_first(first.title)}.")
    if verdict.state == "works_with_warnings" and warnings:
        return (f"The message is unchanged since {label} signed it, with {counted(len(warnings), 'warning')}; "
                f"the first: {lower_first(warnings[0].title)}.")
    return f"The message is unchanged since {label} signed it, and the sender's certificate is trusted by {where}."


def _trusted_where(context: CheckContext) -> str:
    """The store that trusts the chain; a root given for this check only trusts on devices that have it."""
    best = context.chain.best
    store = best.store.name if best and best.store else "the trust store"
    if context.chain.trusted and not context.publicly_trusted:
        return f"{store} (only on devices that have this root installed)"
    return store


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
