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


# The S/MIME BR bind CAs whose roots are publicly trusted (S/MIME BR section 1.1); a private CA may
# follow them, but nothing obliges it to, so on its certificates the findings are advice.
PRIVATE_CA_SCOPE = ("The CA/Browser Forum S/MIME Baseline Requirements apply only to publicly trusted "
                    "certificate authorities (S/MIME BR section 1.1). This chain does not end at a publicly "
                    "trusted root (a private CA, or a chain that could not be completed), so the findings below "
                    "are advice: good practice that mail apps may rely on, not rules this CA must follow.")
PUBLIC_CA_SCOPE = ("The chain ends at a publicly trusted root, so its CA must follow the CA/Browser Forum "
                   "S/MIME Baseline Requirements (S/MIME BR section 1.1).")


def compliance_section(leaf: x509.Certificate | None, path: Sequence[x509.Certificate],
                       publicly_trusted: bool | None = None) -> dict[str, object]:
    """pkilint on the leaf, our checks on the CAs between it and the root (roots are not linted).

    `publicly_trusted` (when known) says first whether the BR bind this CA at all (issue 11 item 10).
    """
    intermediates = [c for c in path if c is not leaf and c.subject != c.issuer]
    section = check_compliance(leaf, intermediates).to_dict()
    if publicly_trusted is not None:
        section["applies"] = {"publicly_trusted": publicly_trusted,
                              "words": PUBLIC_CA_SCOPE if publicly_trusted else PRIVATE_CA_SCOPE}
    return section


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
        sections["compliance"] = compliance_section(leaf, context.path, publicly_trusted=context.publicly_trusted)
    return sections
