"""The compliance and mail-app sections as plain text, for `manage.py diagnose --compliance`."""
from __future__ import annotations

from collections.abc import Mapping

__all__ = ["render_compatibility_text", "render_compliance_text"]


def render_compliance_text(section: Mapping[str, object]) -> str:
    linter = section.get("linter") or {}
    lines = [f"Baseline Requirements compliance: {str(section.get('status', 'unknown')).upper()}"]
    applies = section.get("applies") or {}
    if applies.get("words"):
        lines.append(f"  {applies['words']}")
    if not linter.get("available", True):
        lines.append(f"  The leaf was not linted: {linter.get('problem')}")
    else:
        lines.append(f"  Leaf linted with pkilint {linter.get('version')} (S/MIME BR {linter.get('br_version')})"
                     + (", from the cache" if linter.get("cached") else ""))
    for certificate in section.get("certificates") or ():
        role = "Your certificate" if certificate.get("role") == "leaf" else "Intermediate"
        lines.append(f"  {role}: {certificate.get('subject') or '(empty subject)'}")
        br_type = certificate.get("br_type")
        if br_type:
            lines.append(f"    Type: {br_type.get('words')}")
        if certificate.get("type_source") == "guessed":
            lines.append(f"    Linted as {certificate.get('linted_as')} (guessed: no S/MIME BR policy)")
        findings = certificate.get("findings") or ()
        if not findings:
            lines.append("    No problems found.")
        for finding in findings:
            lines.append(f"    - [{finding['severity']}] {finding['title']} [{finding['code']}]")
            lines.append(f"      {finding['reference']}")
    return "\n".join(lines)


def render_compatibility_text(section: Mapping[str, object] | None) -> str:
    if not section:
        return "Mail apps: no personal certificate to judge."
    lines = ["Mail apps (sign / encrypt / trusted by its roots):"]
    for row in section.get("clients") or ():
        lines.append(f"  {row['name']}: {row['sign']} / {row['encrypt']} / {row['trusted']}")
        for blocker in row.get("blockers") or ():
            lines.append(f"    ! {blocker['says']} ({blocker['evidence']}: {blocker['source']})")
    return "\n".join(lines)
