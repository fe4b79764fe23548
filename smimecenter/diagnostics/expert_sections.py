"""The report's expert sections: PKCS#12 inspection, client compatibility and (on request) BR compliance.

Each builder takes plain engine objects, so the engine (with its check context) and the web pages (with a
finished report) build the same sections the same way.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from cryptography import x509

from .certinfo import CertificateFacts, facts_of
from .chains import TrustStoreLike
from .checks.context import CheckContext
from .compatibility import CompatibilityInput, client_table
from .compliance import check_compliance
from .inputs import ParsedInputs, Pkcs12Contents
from .pkcs12_inspection import inspect_pkcs12

__all__ = ["compatibility_section", "compliance_section", "pkcs12_section", "sections_for_context",
           "sections_from_report"]


def pkcs12_section(files: Sequence[Pkcs12Contents], stores: Sequence[TrustStoreLike] = ()) -> list[dict[str, object]]:
    return [inspect_pkcs12(contents, stores=stores).to_dict() for contents in files]


def compatibility_section(leaf: x509.Certificate | None, *, mozilla_trusted: bool | None,
                          message_digests: Sequence[str] = (),
                          facts: CertificateFacts | None = None) -> dict[str, object] | None:
    """The client table for the leaf, or None when there is no end-entity certificate to judge."""
    if leaf is None:
        return None
    info = facts or facts_of(leaf)
    rows = client_table(CompatibilityInput(info, mozilla_trusted=mozilla_trusted,
                                           message_digests=tuple(message_digests)))
    return {"certificate": info.sha256, "clients": rows}


def compliance_section(leaf: x509.Certificate | None, path: Sequence[x509.Certificate]) -> dict[str, object]:
    """pkilint on the leaf, our checks on the CAs between it and the root (roots are not linted)."""
    intermediates = [c for c in path if c is not leaf and c.subject != c.issuer]
    return check_compliance(leaf, intermediates).to_dict()


def sections_from_report(parsed: ParsedInputs, report: Mapping[str, object], *, public_store_name: str,
                         stores: Sequence[TrustStoreLike] = (), compliance: bool = False) -> dict[str, object]:
    """The sections rebuilt from a finished report's dict and the parsed inputs it came from."""
    by_fingerprint = {facts_of(s.certificate).sha256: s.certificate for s in parsed.certificates}
    leaf_fp = next((c["sha256"] for c in report.get("certificates", ()) if c.get("role") == "leaf"), None)
    leaf = by_fingerprint.get(leaf_fp) if leaf_fp else None
    trust = report.get("trust") or {}
    mozilla = bool(trust.get("trusted")) and trust.get("store") == public_store_name
    sections: dict[str, object] = {
        "pkcs12": pkcs12_section(parsed.pkcs12, stores),
        "compatibility": compatibility_section(
            leaf, mozilla_trusted=mozilla if leaf is not None else None,
            message_digests=[m.digest_algorithm for m in parsed.messages if m.digest_algorithm]),
    }
    if compliance:
        path = [by_fingerprint[fp] for fp in report.get("chain", ()) if fp in by_fingerprint]
        sections["compliance"] = compliance_section(leaf, path)
    return sections


def sections_for_context(context: CheckContext, *, compliance: bool = False) -> dict[str, object]:
    """The sections for the engine's report, from the same context the checks saw."""
    leaf = context.leaf
    sections: dict[str, object] = {
        "pkcs12": pkcs12_section(context.inputs.pkcs12, context.stores),
        "compatibility": compatibility_section(
            leaf, mozilla_trusted=context.publicly_trusted if leaf is not None else None,
            message_digests=[m.digest_algorithm for m in context.inputs.messages if m.digest_algorithm],
            facts=context.facts(leaf) if leaf is not None else None),
    }
    if compliance:
        sections["compliance"] = compliance_section(leaf, context.path)
    return sections
