"""The report's expert sections: PKCS#12 inspection, client compatibility and (on request) BR compliance.

Each builder takes plain engine objects; the engine calls sections_for_context with the context its checks
saw, so every report (web page, API, command line) carries the same sections.
"""
from __future__ import annotations

from collections.abc import Sequence

from cryptography import x509

from .certinfo import CertificateFacts, facts_of
from .chains import TrustStoreLike
from .checks.context import CheckContext
from .compatibility import CompatibilityInput, client_table
from .compliance import check_compliance
from .inputs import Pkcs12Contents
from .pkcs12_inspection import inspect_pkcs12

__all__ = ["compatibility_section", "compliance_section", "pkcs12_section", "sections_for_context"]


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
