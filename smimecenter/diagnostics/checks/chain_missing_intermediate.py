"""An issuer that nobody supplied and no trust store holds (RFC 8551 section 2.4.1)."""
from __future__ import annotations

from collections.abc import Iterator

from cryptography import x509
from cryptography.x509.oid import NameOID

from .. import chains
from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

MISSING_INTERMEDIATE = rule(
    code="chain.missing_intermediate", severity=Severity.ERROR,
    reference="RFC 8551 section 2.4.1; RFC 5280 section 4.2.2.1",
    learn_more="/learn/why-trust-fails/#missing-intermediate",
    title="An intermediate certificate is missing",
    explanation="{certificate} was issued by {missing_issuer}, but that certificate was not "
                "supplied and is not a trusted root. {where}",
    fix="Add the issuing CA certificate (the intermediate) to what you install or send: your "
        "certificate authority publishes it, usually as a \u201cchain\u201d or \u201cbundle\u201d file. {download}")


@check
def missing_intermediate(context: CheckContext) -> Iterator[Observation]:
    for problem in context.chain.problems(chains.MISSING_INTERMEDIATE):
        url = problem.details.get("ca_issuers_url")
        yield MISSING_INTERMEDIATE.observe(
            problem.certificate,
            missing_issuer=_issuer_phrase(problem.details["missing_issuer"]),
            where=(f"The certificate says it can be downloaded from {url}." if url else
                   "The certificate does not say where to download it (no AIA caIssuers URL)."),
            download=f"It can be fetched from {url}." if url else "")


def _issuer_phrase(issuer: x509.Name) -> str:
    """"“Example Issuing CA” (CN=Example Issuing CA,O=Example)": the name people know, then the
    full name to search for."""
    full = issuer.rfc4514_string() or "(an empty name)"
    common_names = issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not common_names:
        return f"\u201c{full}\u201d"
    return f"\u201c{common_names[0].value}\u201d ({full})"
