"""From the engine's report (its JSON form) to what the result page shows.

The page reads only `Report.to_dict()`, the same document the API returns, so the page can never
show something the API would not. The words of findings and the verdict sentence are the engine's;
this module only orders, groups and draws them.
"""
from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from smimecenter.diagnostics.wording import counted

from .svg_timeline import TimelineRow, timeline_svg
from .text import friendly_name

SEVERITY_ORDER = ("error", "warning", "info")
SEVERITY_HEADINGS = {"error": "Problems to fix", "warning": "Worth a look", "info": "Good to know"}
HEADLINES = {"pass": "Trusted", "warn": "Works, with warnings", "fail": "Will not work as it is"}
ROLE_HEADINGS = {
    "leaf": "Your certificate",
    "subject": "The certificate checked",
    "intermediate": "Intermediate certificate",
    "root": "Root certificate",
    "alternative": "Another certificate for the chain (not used)",
    "unrelated": "A certificate that is not part of this chain",
    # Not a role of a supplied certificate: the box of an absent private root (chain_picture).
    "absent_private_root": "Your organisation's root (not supplied)",
}
# Findings about the certificate above the one they name, which nobody supplied: the certificate named
# is present and not at fault, so they colour the absent box, never the present one.
ABSENT_ISSUER_CODES = ("chain.missing_intermediate", "chain.private_root_not_supplied")
# Roles that belong to the chain the engine built (the others are alternatives and strays).
CHAIN_ROLES = ("leaf", "subject", "intermediate", "root")
MESSAGE_PREFIX = "message."


# The role headings as the question's asker reads them: a recipient is looking at the sender's certificate.
QUESTION_ROLE_HEADINGS = {
    "received_message": {"leaf": "The sender's certificate", "subject": "The sender's certificate",
                         "absent_private_root": "The sender's organisation root (not supplied)"},
}
# The share view is read by the IT person the result was sent to, not by whoever ran the check.
COLLEAGUE_WORDS = (
    ("the address you entered", "the address they entered"),
    ("The address you entered", "The address they entered"),
    ("what you supplied", "what they supplied"),
    ("Nothing you supplied", "Nothing they supplied"),
    ("You supplied", "They supplied"),
    ("you supplied", "they supplied"),
    ("Your certificate", "Their certificate"),
    ("your certificate authority", "their certificate authority"),
    ("your root", "their root"),
)
# The verdict's state as the page's colour: works, warnings, does not work, and "could not check" (neutral).
STATE_STATUS = {"works": "pass", "works_with_warnings": "warn", "does_not_work": "fail",
                "could_not_check": "unknown"}
# Findings that say why nothing was checked make the others beside the point: after a wrong password
# the page never adds "no certificate was found" or "holds no private key".
HIDDEN_WHEN_NOT_CHECKED = ("input.no_certificate", "pkcs12.no_private_key")


def result_context(report, pem_by_fingerprint: Mapping[str, str] | None = None) -> dict[str, object]:
    return present(report.to_dict(), pem_by_fingerprint or {})


def present(data: Mapping, pem_by_fingerprint: Mapping[str, str], *, audience: str = "self") -> dict[str, object]:
    """Everything the result body shows, derived from the report and its one verdict.

    `audience="colleague"` words it for someone who did not run the check (the share view).
    """
    verdict = _verdict(data)
    checked_at = _moment(data["checked_at"])
    findings = [f for f in data["findings"]
                if not (verdict["state"] == "could_not_check" and f["code"] in HIDDEN_WHEN_NOT_CHECKED
                        and any(r["code"] != f["code"] for r in verdict["reasons"]))]
    headings = {**ROLE_HEADINGS, **QUESTION_ROLE_HEADINGS.get(verdict["question"], {})}
    if audience == "colleague":
        headings = {role: _for_colleague(words) for role, words in headings.items()}
        findings = [dict(f, **{k: _for_colleague(str(f.get(k) or "")) for k in ("title", "explanation", "fix")})
                    for f in findings]
        verdict = dict(verdict, sentence=_for_colleague(verdict["sentence"]),
                       headline=_for_colleague(verdict["headline"]))
    certificates = {c["sha256"]: c for c in data["certificates"]}
    worst = _worst_severity_by_certificate(findings)
    trust = data["trust"]
    anchor = (trust.get("anchor") or {}).get("sha256")
    chain = [certificates[fp] for fp in data["chain"] if fp in certificates]
    cards = [_card(c, worst.get(c["sha256"]), checked_at, anchor, trust, findings,
                   pem_by_fingerprint.get(c["sha256"]) or c.get("pem"), headings)
             for c in _ordered(data)]
    return {
        "report": data,
        "audience": audience,
        "verdict": verdict,
        "capabilities": data["capabilities"],
        "capability_badges": verdict["badges"],
        "finding_groups": _groups(findings, certificates),
        "chain_boxes": _chain_picture(chain, findings, worst, anchor, trust, checked_at, headings,
                                      installed_root=verdict.get("trust_scope") == "installed_root"),
        "chain_help": _chain_help(verdict["question"], audience),
        "timeline_svg": timeline_svg([TimelineRow(_name(c), _moment(c["not_before"]), _moment(c["not_after"]))
                                      for c in _ordered(data)], checked_at),
        "certificates": cards,
        "messages": [_message(m, certificates) for m in data.get("messages", [])],
        "trust": trust,
        "download": _download(chain, anchor, pem_by_fingerprint),
        "chain_pem": _chain_pem(chain, pem_by_fingerprint),
        "checked_at": checked_at,
    }


# --- the verdict ---------------------------------------------------------------------------------

def _verdict(data: Mapping) -> dict[str, object]:
    """The engine's verdict as the page shows it; a report kept from before verdicts existed still shows."""
    given = data.get("verdict")
    if not given:
        status = data["status"]
        return {"question": "own_certificate", "state": {"pass": "works", "warn": "works_with_warnings"}.get(
                    status, "does_not_work"), "status": status, "headline": HEADLINES.get(status, status),
                "headline_key": None, "sentence": data["summary"], "reasons": [], "not_checked": [],
                "retry": None, "badges": _capability_badges(data), "trust_scope": None}
    return {**given, "status": STATE_STATUS[given["state"]], "sentence": data["summary"],
            "badges": [dict(b) for b in given.get("badges", [])]}


def _for_colleague(text: str) -> str:
    for mine, theirs in COLLEAGUE_WORDS:
        text = text.replace(mine, theirs)
    return text


def _chain_help(question: str, audience: str) -> str:
    top = {"received_message": "The sender's certificate at the top",
           "ca_chain": "The certificate checked at the top"}.get(
        question, "Their certificate at the top" if audience == "colleague" else "Your certificate at the top")
    return (f"{top}, then each certificate that issued the one above it. Mail apps trust the chain when it "
            "ends at a root they already know (the trust anchor).")


def _capability_badges(data: Mapping) -> list[dict[str, str]]:
    """Badges for a report kept from before the engine wrote its verdict (results live 15 minutes)."""
    badges = []
    for name, verb in (("sign", "sign"), ("encrypt", "encrypt")):
        able = bool(data["capabilities"].get(name))
        if not able:
            badges.append({"name": name, "state": "no", "words": f"Cannot {verb}"})
        elif data["status"] == "fail":
            badges.append({"name": name, "state": "later", "words": f"Can {verb} once the problems are fixed"})
        else:
            badges.append({"name": name, "state": "yes", "words": f"Can {verb}"})
    return badges


# --- findings ------------------------------------------------------------------------------------

def _worst_severity_by_certificate(findings: list[Mapping]) -> dict[str, str]:
    worst: dict[str, str] = {}
    for finding in findings:
        fingerprint, severity = finding.get("certificate"), finding["severity"]
        # A changed or unverifiable message is about the message, never the signer's certificate.
        if (fingerprint is None or severity == "info" or finding["code"] in ABSENT_ISSUER_CODES
                or finding["code"].startswith(MESSAGE_PREFIX)):
            continue
        current = worst.get(fingerprint)
        if current is None or SEVERITY_ORDER.index(severity) < SEVERITY_ORDER.index(current):
            worst[fingerprint] = severity
    return worst


def _without_names(text: str, names: list[str]) -> tuple[str, list[str]]:
    """The engine's sentence with distinguished names taken out of the running text: " (CN=...)" after
    a friendly name goes, a bare DN becomes its friendly name. Returns the DNs taken out, for the
    finding's technical details."""
    taken = []
    for name in names:
        if name and name in text:
            taken.append(name)
            text = text.replace(f" ({name})", "").replace(name, friendly_name(name))
    return text, taken


def _plain(finding: Mapping, names: list[str]) -> dict[str, object]:
    explanation, taken = _without_names(str(finding.get("explanation") or ""), names)
    fix, taken_from_fix = _without_names(str(finding.get("fix") or ""), names)
    return dict(finding, explanation=explanation, fix=fix, names=list(dict.fromkeys(taken + taken_from_fix)))


def _groups(findings: list[Mapping], certificates: Mapping[str, Mapping]) -> list[dict[str, object]]:
    groups = []
    # Longest first, so that a DN which contains another is taken out whole.
    names = sorted({n for c in certificates.values() for n in (c.get("subject"), c.get("issuer")) if n},
                   key=len, reverse=True)
    findings = [_plain(f, names) for f in findings]
    for severity in SEVERITY_ORDER:
        items = [dict(f, certificate_name=_name(certificates[f["certificate"]])
                      if f.get("certificate") in certificates else None,
                      certificate_subject=certificates[f["certificate"]].get("subject")
                      if f.get("certificate") in certificates else None,
                      card=_card_id(f["certificate"]) if f.get("certificate") in certificates else None)
                 for f in findings if f["severity"] == severity]
        if items:
            groups.append({"severity": severity, "heading": SEVERITY_HEADINGS[severity], "findings": items})
    return groups


# --- certificates --------------------------------------------------------------------------------

def _ordered(data: Mapping) -> list[Mapping]:
    """The chain first (leaf to root), then alternatives and strays in the order they came."""
    by_fingerprint = {c["sha256"]: c for c in data["certificates"]}
    ordered = [by_fingerprint[fp] for fp in data["chain"] if fp in by_fingerprint]
    seen = {c["sha256"] for c in ordered}
    return ordered + [c for c in data["certificates"] if c["sha256"] not in seen]


def _name(certificate: Mapping) -> str:
    emails = certificate.get("emails") or []
    return certificate.get("common_name") or (emails[0] if emails else None) \
        or friendly_name(certificate.get("subject")) or "a certificate with an empty subject"


def _card_id(fingerprint: str) -> str:
    return f"certificate-{fingerprint[:16]}"


def _validity(certificate: Mapping, at: dt.datetime) -> tuple[str, str]:
    not_before, not_after = _moment(certificate["not_before"]), _moment(certificate["not_after"])
    if at < not_before:
        return "warn", f"Not valid until {_day(not_before)}"
    if at > not_after:
        return "err", f"Expired on {_day(not_after)}"
    days = (not_after - at).days
    return "ok", f"Valid until {_day(not_after)} ({counted(days, 'day')} left)"


def _card(certificate: Mapping, worst: str | None, at: dt.datetime, anchor: str | None, trust: Mapping,
          findings: list[Mapping], pem: str | None, headings: Mapping[str, str]) -> dict[str, object]:
    validity_state, validity_words = _validity(certificate, at)
    key = certificate.get("key") or {}
    key_words = " ".join(str(part) for part in (key.get("type"), _key_size(key)) if part)
    return {
        "id": _card_id(certificate["sha256"]),
        "data": certificate,
        "name": _name(certificate),
        "heading": headings.get(certificate["role"], certificate["role"]),
        "state": {"error": "err", "warning": "warn"}.get(worst or "", "ok"),
        "validity_state": validity_state,
        "validity": validity_words,
        "not_before": _moment(certificate["not_before"]),
        "not_after": _moment(certificate["not_after"]),
        "key": key_words or "unknown",
        "is_anchor": certificate["sha256"] == anchor,
        "anchor_store": trust.get("store") if certificate["sha256"] == anchor else None,
        "finding_titles": [f["title"] for f in findings
                           if f.get("certificate") == certificate["sha256"] and f["severity"] != "info"
                           and not f["code"].startswith(MESSAGE_PREFIX)],
        "pem": pem,
    }


def _key_size(key: Mapping) -> str | None:
    if key.get("curve"):
        return str(key["curve"])
    return f"{key['size']} bits" if key.get("size") else None


# --- the chain picture ---------------------------------------------------------------------------

STATE_WORDS = {"ok": "No problems found", "warn": "Has a warning", "err": "Has a problem"}
# The form's "My organisation runs its own certificate authority" field (its <details> opens on the fragment).
ADD_ROOT = {"href": "/tools/diagnose/#id_trust", "words": "Add your organisation's root and check again"}


@dataclass(frozen=True)
class ChainBox:
    """One box of the chain picture (templates/tools/_chain.jinja): HTML, so it reflows on a phone."""

    heading: str      # "Your certificate", "Intermediate certificate", "Root certificate"
    name: str         # how a person recognises it
    note: str         # its state in words: "Valid until ...", "Expired on ...", "Not supplied"
    state: str        # "ok" | "warn" | "err" | "missing"
    anchor: str | None = None  # the store's name when this box is the trust anchor
    link: str | None = None    # the id of its details card on the page
    technical: str = ""        # the distinguished name, shown on request only
    action: Mapping[str, str] | None = None  # {"href", "words"}: what the person can do about an absent box


def _chain_picture(chain: list[Mapping], findings: list[Mapping], worst: Mapping[str, str],
                   anchor: str | None, trust: Mapping, at: dt.datetime,
                   headings: Mapping[str, str] = ROLE_HEADINGS, installed_root: bool = False) -> list[ChainBox]:
    if not chain:
        return []
    boxes = []
    for certificate in chain:
        state = {"error": "err", "warning": "warn"}.get(worst.get(certificate["sha256"], ""), "ok")
        validity_state, validity_words = _validity(certificate, at)
        # The box says what is wrong with this certificate, in the engine's words (the worst first).
        titles = sorted(((SEVERITY_ORDER.index(f["severity"]), f["title"]) for f in findings
                         if f.get("certificate") == certificate["sha256"] and f["severity"] != "info"
                         and f["code"] not in ABSENT_ISSUER_CODES and not f["code"].startswith(MESSAGE_PREFIX)))
        if validity_state != "ok":
            note = validity_words  # names the date, which the finding's title does not
        else:
            note = titles[0][1] if titles else STATE_WORDS[state]
        if certificate["sha256"] == anchor:
            if state == "ok":
                # A root given for this check trusts only where it is installed (issue 11 item 8).
                note = (f"Trusted on devices that have this root installed ({trust.get('store')})" if installed_root
                        else f"Trusted by {trust.get('store')}")
        untrusted_root = any(f["code"] == "chain.untrusted_root" and f.get("certificate") == certificate["sha256"]
                             for f in findings)
        boxes.append(ChainBox(heading=headings.get(certificate["role"], certificate["role"]),
                              name=_name(certificate), note=note, state=state,
                              anchor=trust.get("store") if certificate["sha256"] == anchor else None,
                              link=_card_id(certificate["sha256"]), technical=certificate.get("subject") or "",
                              action=ADD_ROOT if untrusted_root else None))
    last = chain[-1]
    absent = {f["code"] for f in findings if f["code"] in ABSENT_ISSUER_CODES} if anchor is None else set()
    if absent and last.get("subject") != last.get("issuer"):
        issuer = friendly_name(last["issuer"]) or "(no issuer name)"
        if "chain.private_root_not_supplied" in absent:
            boxes.append(ChainBox(heading=headings["absent_private_root"], name=issuer,
                                  note="Not supplied and not trusted by this check: it looks like your "
                                       "organisation's own root", state="missing", technical=last["issuer"] or "",
                                  action=ADD_ROOT))
        else:
            boxes.append(ChainBox(heading="Missing certificate", name=issuer,
                                  note="Not supplied: the certificate that issued the one above", state="missing",
                                  technical=last["issuer"] or ""))
    return boxes


def _download(chain: list[Mapping], anchor: str | None, pems: Mapping[str, str]) -> dict[str, object] | None:
    """Leaf then intermediates, no root, no strays; only when the chain reaches a trust anchor."""
    if anchor is None or not chain:
        return None
    wanted = [c for c in chain if c["sha256"] != anchor and c.get("subject") != c.get("issuer")]
    texts = [pems.get(c["sha256"]) or c.get("pem") for c in wanted]
    if not texts or any(text is None for text in texts):
        return None
    bundle = "".join(texts)
    return {"href": "data:application/x-pem-file;base64," + base64.b64encode(bundle.encode("ascii")).decode("ascii"),
            "filename": "chain.pem", "intermediates": len(texts) - 1}


def _chain_pem(chain: list[Mapping], pems: Mapping[str, str]) -> str:
    """The chain as far as it was built, leaf first: what the on-demand compliance check needs."""
    return "".join(pems.get(c["sha256"]) or c.get("pem") or "" for c in chain)


# --- signed messages -----------------------------------------------------------------------------

def _message(message: Mapping, certificates: Mapping[str, Mapping]) -> dict[str, object]:
    signer = certificates.get(message.get("signer") or "")
    from_address = message.get("from_address")
    signer_emails = [e.lower() for e in (signer or {}).get("emails", [])]
    if not from_address or signer is None:
        matches = None
    else:
        matches = from_address.strip().lower() in signer_emails
    return {
        "data": message,
        "signer_name": _name(signer) if signer else None,
        "signer_card": _card_id(signer["sha256"]) if signer else None,
        "from_matches": matches,
        "signing_time": _moment(message["signing_time"]) if message.get("signing_time") else None,
    }


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _day(moment: dt.datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"
