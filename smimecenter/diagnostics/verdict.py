"""The one verdict of a diagnosis: whose question the input asks, and the answer to it.

The web page, the API and the command line all show this verdict; the badges, the mail-app table and
the chain picture are derived from it (never computed on their own), so no part of a result can
disagree with another. The input decides the question:

- "own_certificate": a person's own certificate or .p12 file (will my mail work?);
- "received_message": a signed message someone received (is it really from them, unchanged, and will
  my mail app trust it?);
- "ca_chain": only CA certificates (an administrator's view of a chain or a CA);
- "csr": a certificate request, which is not a certificate yet;
- "unknown": nothing readable, so the question cannot be told.

The state is one of "works", "works_with_warnings", "does_not_work" and "could_not_check". "Could not
check" (nothing readable, a wrong .p12 password, only a private key) says nothing about any
certificate: its one reason is why nothing was checked, and how to try again.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .findings import Finding, Severity

__all__ = ["QUESTIONS", "STATES", "Verdict", "agree_compatibility", "decide", "in_priority_order"]

QUESTIONS = ("own_certificate", "received_message", "ca_chain", "csr", "unknown")
STATES = ("works", "works_with_warnings", "does_not_work", "could_not_check")

# What to do first (issue order): an exposed private key, then why nothing could be checked, then a
# certificate of the wrong kind (TLS, code signing, a CA), then everything else by severity.
SECURITY_FIRST = ("input.private_key_present",)
COULD_NOT_CHECK = (
    "pkcs12.wrong_password", "pkcs12.password_required", "pkcs12.too_expensive", "pkcs12.over_work_budget",
    "pkcs12.unbounded_kdf", "pkcs12.busy", "input.too_large", "input.too_slow", "input.csr_not_certificate",
    "message.not_signed", "input.ssh_key", "input.pgp_key", "input.unreadable", "input.empty",
    "input.no_certificate",
)
# RFC 8550 4.4.4 (no emailProtection: a TLS, code-signing or login certificate) and S/MIME BR
# 7.1.2.3 (d) (a CA certificate is never a mailbox certificate): the wrong kind of certificate.
WRONG_KIND = ("usage.not_for_email", "certificate.mailbox_is_ca")
# The chain stops at a private root that was not supplied (code decided by the chain checks): the person
# is asked for the root, not told the certificate "will not work".
PRIVATE_ROOT_NOT_SUPPLIED = "chain.private_root_not_supplied"
# A changed or unverifiable signature is about the message, never about the signer's certificate.
MESSAGE_INTEGRITY = ("message.signature_invalid", "message.signature_unverified", "message.weak_digest")

HEADLINES = {
    "could_not_check.wrong_password": "Could not open the .p12 file: the password is not right",
    "could_not_check.password_required": "Could not open the .p12 file: it needs its password",
    "could_not_check.too_costly": "Could not open the .p12 file",
    "could_not_check.private_key_only": "This is a private key, not a certificate: treat it as exposed",
    "could_not_check.csr": "This is a certificate request, not a certificate",
    "could_not_check.not_signed": "The message is not signed, so there is nothing to check",
    "could_not_check.too_large": "Too large to check",
    "could_not_check.too_slow": "The check stopped before anything could be checked",
    "could_not_check.nothing_readable": "Nothing could be checked: no certificate was found",
    "own.private_key_exposed": "Treat your private key as exposed: revoke and replace this certificate",
    "own.wrong_kind": "This is not an email certificate",
    "own.wrong_kind.website": "This is a website (TLS) certificate, not an email certificate",
    "own.wrong_kind.code_signing": "This is a code-signing certificate, not an email certificate",
    "own.wrong_kind.ca": "This is a CA certificate, not a person's email certificate",
    "own.does_not_work": "Will not work as it is",
    "own.private_root_not_supplied": "Your organisation's root is needed to finish the check",
    "message.private_root_not_supplied": "The sender's organisation root is needed to finish the check",
    "ca.private_root_not_supplied": "The organisation's root is needed to finish the check",
    "own.works_with_warnings": "Works, with warnings",
    "own.works_with_installed_root": "Trusted on devices that have your root installed",
    "own.works": "Trusted",
    "message.changed": "The message was changed after it was signed",
    "message.unverified": "The signature could not be checked",
    "message.weak_signature": "Signed with a broken algorithm: mail apps may show the signature as invalid",
    "message.sender_not_trusted": "The signature is intact, but the sender's certificate is not trusted",
    "message.not_from_sender": "Signed, but not by the address the message is from",
    "message.genuine_with_warnings": "Genuine and unchanged, with warnings",
    "message.genuine_with_installed_root": "Genuine and unchanged, on devices that have the sender's root "
                                           "installed",
    "message.genuine": "Genuine and unchanged",
    "ca.private_key_exposed": "A private key was exposed: treat it as compromised",
    "ca.problem": "This chain has a problem",
    "ca.with_warnings": "The chain works, with warnings",
    "ca.trusted_with_installed_root": "Trusted on devices that have this root installed",
    "ca.trusted": "Trusted for email",
    "ca.not_anchored": "Checked, but it does not reach a trusted root",
}


@dataclass(frozen=True)
class Badge:
    name: str   # "sign", "encrypt", "signature", "content", "sender", "trust", "key"
    state: str  # "yes" | "no" | "later" | "unknown"
    words: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "state": self.state, "words": self.words}


@dataclass(frozen=True)
class Verdict:
    question: str
    state: str
    headline_key: str
    reasons: tuple[Finding, ...]  # what decided the state, what to do first at the top
    badges: tuple[Badge, ...] = ()
    not_checked: tuple[str, ...] = ()  # what the verdict does not cover, in plain words
    retry: str | None = None  # how to try again when nothing could be checked
    trust_scope: str | None = None  # where the chain is trusted: "public" | "installed_root" | None

    @property
    def headline(self) -> str:
        return HEADLINES[self.headline_key]

    def to_dict(self) -> dict[str, object]:
        return {
            "question": self.question,
            "state": self.state,
            "headline_key": self.headline_key,
            "headline": self.headline,
            "reasons": [{"code": f.code, "severity": f.severity.value, "title": f.title, "fix": f.fix}
                        for f in self.reasons],
            "badges": [badge.to_dict() for badge in self.badges],
            "not_checked": list(self.not_checked),
            "retry": self.retry,
            "trust_scope": self.trust_scope,
        }


@dataclass(frozen=True)
class Facts:
    """What the verdict needs to know about the input, beyond the findings (plain values, no context)."""

    has_certificate: bool              # a certificate was read (start of a chain)
    has_leaf: bool                     # a person's own certificate, not only CAs
    received_message: bool             # a signed message with its signer is what is checked
    chain_trusted: bool
    publicly_trusted: bool             # the chain ends at a Mozilla email root
    trusted_by: str | None             # the store's name when trusted
    revocation_checked: bool           # the online checks asked about revocation
    capabilities: Mapping[str, bool] = field(default_factory=dict)
    leaf_purposes: tuple[str, ...] = ()  # the leaf's extended key usages by name ("serverAuth", ...)


def in_priority_order(findings: Sequence[Finding]) -> list[Finding]:
    """Findings in the order a person should act on them (stable within a tier)."""
    def tier(finding: Finding) -> int:
        if finding.code in SECURITY_FIRST:
            return 0
        if finding.code in COULD_NOT_CHECK and finding.severity is Severity.ERROR:
            return 1
        if finding.code in WRONG_KIND or finding.code in MESSAGE_INTEGRITY:
            return 2
        return 3
    return sorted(findings, key=lambda f: (f.severity.rank if tier(f) == 3 else -1, tier(f)))


def decide(findings: Sequence[Finding], facts: Facts) -> Verdict:
    """The question the input asks and the one answer every part of the result shows."""
    ordered = in_priority_order(findings)
    errors = [f for f in ordered if f.severity is Severity.ERROR]
    warnings = [f for f in ordered if f.severity is Severity.WARNING]
    codes = {f.code for f in ordered}
    key_exposed = [f for f in ordered if f.code in SECURITY_FIRST]
    not_checked = _not_checked(facts)
    if not facts.has_certificate:
        return _could_not_check(ordered, codes)
    if facts.received_message:
        question = "received_message"
        integrity = [f for f in ordered if f.code in MESSAGE_INTEGRITY and f.severity is not Severity.INFO]
        chain_errors = [f for f in errors if f.code not in MESSAGE_INTEGRITY]
        if any(f.code == "message.signature_invalid" for f in integrity):
            state, key, reasons = "does_not_work", "message.changed", integrity[:1]
        elif chain_errors:
            state, reasons = "does_not_work", chain_errors
            # RFC 8550 3: the signer's certificate must name the From address, or the signature says
            # nothing about who sent it ("is it really from them?").
            key = ("message.not_from_sender" if chain_errors[0].code == "identity.email_mismatch"
                   else _root_or("message", chain_errors, "message.sender_not_trusted"))
        elif integrity:
            worst = integrity[0]
            state = "does_not_work" if worst.severity is Severity.ERROR else "works_with_warnings"
            key = ("message.unverified" if worst.code == "message.signature_unverified"
                   else "message.weak_signature" if worst.severity is Severity.ERROR
                   else "message.genuine_with_warnings")
            reasons = integrity
        elif warnings:
            state, key, reasons = "works_with_warnings", "message.genuine_with_warnings", warnings
        else:
            state, reasons = "works", [f for f in ordered if f.code in ("message.signature_valid", "chain.trusted")]
            key = "message.genuine" if facts.publicly_trusted else "message.genuine_with_installed_root"
        badges = _message_badges(codes, state, facts)
    elif facts.has_leaf:
        question = "own_certificate"
        wrong_kind = [f for f in ordered if f.code in WRONG_KIND]
        if key_exposed:
            state, key, reasons = "does_not_work", "own.private_key_exposed", _unique(key_exposed + errors)
        elif wrong_kind:
            state, key = "does_not_work", _wrong_kind_key(wrong_kind[0], facts.leaf_purposes)
            reasons = _unique(wrong_kind + errors)
        elif errors:
            state, key, reasons = "does_not_work", _root_or("own", errors, "own.does_not_work"), errors
        elif warnings:
            state, key, reasons = "works_with_warnings", "own.works_with_warnings", warnings
        else:
            state, reasons = "works", [f for f in ordered if f.code == "chain.trusted"]
            key = "own.works" if facts.publicly_trusted else "own.works_with_installed_root"
        badges = _certificate_badges(state, facts)
    else:
        question = "ca_chain"
        if key_exposed:
            state, key, reasons = "does_not_work", "ca.private_key_exposed", _unique(key_exposed + errors)
        elif errors:
            state, key, reasons = "does_not_work", _root_or("ca", errors, "ca.problem"), errors
        elif not facts.chain_trusted:
            state, key, reasons = "works_with_warnings", "ca.not_anchored", warnings
        elif [w for w in warnings if w.code != "input.only_ca_certificates"]:
            state, key = "works_with_warnings", "ca.with_warnings"
            reasons = [w for w in warnings if w.code != "input.only_ca_certificates"]
        else:
            state = "works"
            key = "ca.trusted" if facts.publicly_trusted else "ca.trusted_with_installed_root"
            reasons = [f for f in ordered if f.code == "chain.trusted"]
        badges = (Badge("trust", "yes" if facts.chain_trusted and state != "does_not_work" else "no",
                        f"Trusted for email by {facts.trusted_by}" if facts.chain_trusted
                        and state != "does_not_work" else "Not trusted for email"),)
    # Where the chain is trusted, whatever else the verdict says (a changed message keeps a trusted sender).
    scope = ("public" if facts.publicly_trusted else "installed_root") if facts.chain_trusted else None
    return Verdict(question=question, state=state, headline_key=key, reasons=tuple(reasons),
                   badges=badges, not_checked=not_checked, trust_scope=scope)


def _root_or(question: str, reasons: Sequence[Finding], otherwise: str) -> str:
    """The private-root headline when a missing private root is what to do first."""
    return f"{question}.private_root_not_supplied" if reasons[0].code == PRIVATE_ROOT_NOT_SUPPLIED else otherwise


def _unique(findings: Sequence[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))


def _wrong_kind_key(finding: Finding, purposes: Sequence[str]) -> str:
    """Name the kind the certificate is, so the headline tells the person what they pasted."""
    if finding.code == "certificate.mailbox_is_ca":
        return "own.wrong_kind.ca"
    if "serverAuth" in purposes:
        return "own.wrong_kind.website"
    if "codeSigning" in purposes:
        return "own.wrong_kind.code_signing"
    return "own.wrong_kind"


def _could_not_check(ordered: Sequence[Finding], codes: set[str]) -> Verdict:
    """Nothing was checked: the one true reason (never "no certificate" for a wrong password)."""
    blocking = [f for f in ordered if f.code in SECURITY_FIRST or
                (f.code in COULD_NOT_CHECK and f.severity is not Severity.INFO)]
    # The most specific reason: COULD_NOT_CHECK lists them from the most to the least telling.
    first_block = next((code for code in COULD_NOT_CHECK if code in codes), "input.no_certificate")
    key, retry, question = {
        "pkcs12.wrong_password": ("could_not_check.wrong_password",
                                  "Type the .p12 file's password again and check the same file.", "own_certificate"),
        "pkcs12.password_required": ("could_not_check.password_required",
                                     "Type the .p12 file's password and check the same file.", "own_certificate"),
        "pkcs12.too_expensive": ("could_not_check.too_costly", None, "own_certificate"),
        "pkcs12.over_work_budget": ("could_not_check.too_costly",
                                    "Check the .p12 files one at a time.", "own_certificate"),
        "pkcs12.unbounded_kdf": ("could_not_check.too_costly", None, "own_certificate"),
        "pkcs12.busy": ("could_not_check.too_costly", "Try again in a few seconds.", "own_certificate"),
        "input.csr_not_certificate": ("could_not_check.csr",
                                      "Check the request with the CSR checker, or check the certificate "
                                      "your certificate authority issues for it.", "csr"),
        "message.not_signed": ("could_not_check.not_signed",
                               "Save a signed message (as .eml) and check that.", "received_message"),
        "input.too_large": ("could_not_check.too_large",
                            "Supply only the certificate and its intermediates.", "unknown"),
        "input.too_slow": ("could_not_check.too_slow", "Check fewer files at once.", "unknown"),
    }.get(first_block, ("could_not_check.nothing_readable",
                        "Supply the certificate itself: a .pem, .cer or .p7b file, a .p12 file with its "
                        "password, or a signed email saved as .eml.", "unknown"))
    key_pasted = [f for f in blocking if f.code in SECURITY_FIRST]
    if key_pasted and key == "could_not_check.nothing_readable":
        key = "could_not_check.private_key_only"
        retry = "Supply the certificate (it holds only the public key), never the private key."
    # The one true reason: the key first when one was pasted, then why nothing was read; a wrong
    # password is never followed by "no certificate was found".
    reason = [f for f in blocking if f.code == first_block]
    reasons = key_pasted + (reason if first_block != "input.no_certificate" or not key_pasted else [])
    if not reasons:
        reasons = [f for f in ordered if f.severity is not Severity.INFO][:1]
    return Verdict(question=question, state="could_not_check", headline_key=key, reasons=tuple(reasons),
                   retry=retry, not_checked=("This says nothing about any certificate: none was read.",))


def _certificate_badges(state: str, facts: Facts) -> tuple[Badge, ...]:
    """"Can sign" only while the verdict says it works; "once fixed" under a failing one."""
    badges = []
    for name, verb in (("sign", "sign"), ("encrypt", "encrypt")):
        able = bool(facts.capabilities.get(name))
        if not able:
            badges.append(Badge(name, "no", f"Cannot {verb}"))
        elif state == "does_not_work":
            badges.append(Badge(name, "later", f"Can {verb} once the problems are fixed"))
        elif facts.chain_trusted and not facts.publicly_trusted:
            badges.append(Badge(name, "yes", f"Can {verb} where your root is installed"))
        else:
            badges.append(Badge(name, "yes", f"Can {verb}"))
    return tuple(badges)


def _message_badges(codes: set[str], state: str, facts: Facts) -> tuple[Badge, ...]:
    """About the message and its sender, never "can sign" (the recipient signs nothing here)."""
    if "message.signature_invalid" in codes:
        content = Badge("content", "no", "Changed after signing")
    elif "message.signature_unverified" in codes:
        content = Badge("content", "unknown", "Could not be compared")
    else:
        content = Badge("content", "yes", "Unchanged since it was signed")
    if "identity.email_mismatch" in codes:
        sender = Badge("sender", "no", "Signer is not the From address")
    elif state == "does_not_work" and content.state == "yes":
        sender = Badge("sender", "no", "Sender's certificate not trusted")
    elif facts.chain_trusted and not facts.publicly_trusted:
        sender = Badge("sender", "yes", "Sender trusted where their root is installed")
    elif facts.chain_trusted:
        sender = Badge("sender", "yes", f"Sender trusted by {facts.trusted_by}")
    else:
        sender = Badge("sender", "no", "Sender's certificate not trusted")
    return (content, sender)


def _not_checked(facts: Facts) -> tuple[str, ...]:
    """What the verdict does not cover (issue 11 item 8), so "Trusted" is never read as more."""
    words = []
    if not facts.revocation_checked:
        words.append("Revocation was not checked: a certificate its authority has withdrawn would still look "
                     "fine here.")
    if facts.chain_trusted and not facts.publicly_trusted:
        words.append(f"Trusted only because of {facts.trusted_by}: devices that do not have this root installed "
                     "will not trust it.")
    return tuple(words)


def agree_compatibility(section: Mapping[str, object] | None, verdict: Verdict) -> dict[str, object] | None:
    """The mail-app table under the verdict: no app may say more than the verdict does.

    Under a failing verdict every "yes" becomes "no" with the verdict's first reason as its blocker;
    under a working one every answer short of "yes" carries its reason (a rule's words, or where the
    app's trust comes from).
    """
    if section is None:
        return None
    first = verdict.reasons[0] if verdict.reasons else None
    rows = []
    for row in section.get("clients", []):
        row = dict(row)
        blockers = list(row.get("blockers") or [])
        if verdict.state in ("does_not_work", "could_not_check"):
            capped = False
            for column in ("sign", "encrypt"):
                if row.get(column) == "yes":
                    row[column] = "no"
                    capped = True
            if row.get("trusted") == "yes" and verdict.trust_scope is None:
                row["trusted"] = "no"
                capped = True
            if capped and first is not None:
                blockers.insert(0, {"id": f"verdict.{verdict.headline_key}", "evidence": "this check",
                                    "says": f"Not now: {first.title[:1].lower()}{first.title[1:]}.",
                                    "source": first.learn_more})
        row["blockers"] = blockers
        row["trusted_reason"] = _trusted_reason(row, verdict)
        rows.append(row)
    return {**dict(section), "clients": rows, "verdict_state": verdict.state}


def _trusted_reason(row: Mapping[str, object], verdict: Verdict) -> str | None:
    if row.get("trusted") == "yes":
        return None
    if verdict.trust_scope == "installed_root":
        return "Only where your organisation's root is installed: " + str(row.get("root_store"))
    if verdict.trust_scope == "public":
        return ("Not confirmed for this app: it decides with its own roots (" + str(row.get("root_store"))
                + "); the chain ends at a root in Mozilla's list.")
    return "The check's verdict: " + verdict.headline[:1].lower() + verdict.headline[1:] + "."
