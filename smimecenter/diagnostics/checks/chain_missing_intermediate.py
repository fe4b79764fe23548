"""An issuer that nobody supplied and no trust store holds (RFC 8551 section 2.4.1): a CA's missing
intermediate, or the organisation's own root that was not given (judged in `absent_issuer`)."""
from __future__ import annotations

from collections.abc import Iterator

from cryptography import x509
from cryptography.x509.oid import NameOID

from .. import chains
from ..absent_issuer import PRIVATE_ROOT, judge
from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

MISSING_INTERMEDIATE = rule(
    code="chain.missing_intermediate", severity=Severity.ERROR,
    reference="RFC 8551 section 2.4.1; RFC 5280 section 4.2.2.1",
    learn_more="/learn/why-trust-fails/#missing-intermediate",
    title="An intermediate certificate is missing",
    explanation="{certificate} was issued by {missing_issuer}, but that certificate was not "
                "supplied and is not a trusted root. It looks like a certificate authority's "
                "intermediate, because {reasons}. {where}",
    fix="Add the certificate of {missing_name}, the CA that issued {certificate}, to what you "
        "install or send: your certificate authority publishes it, usually in a \u201cchain\u201d or "
        "\u201cbundle\u201d file. {download}")

PRIVATE_ROOT_NOT_SUPPLIED = rule(
    code="chain.private_root_not_supplied", severity=Severity.ERROR,
    reference="RFC 5280 sections 6.1.1 (d), 4.2.1.1 and 4.2.2.1; RFC 8550 section 2.3",
    learn_more="/guides/distribute-private-root/#add-your-root",
    # Neutral words: the same finding reaches an admin (their own root) and a recipient (the sender's).
    title="The root of a private certificate authority is not supplied or trusted",
    explanation="{certificate} was issued by {missing_issuer}, which looks like an organisation's own "
                "root (a private certificate authority), not a missing intermediate, because {reasons}. "
                "Senders leave the root out, and no trust store this check used holds it, so the chain "
                "could not be checked up to it. {nothing_else}",
    fix="{own_ca} {not_ours}Mail apps trust certificates from this CA only on devices where its root is "
        "installed; the guide shows how for each app.")


@check
def missing_intermediate(context: CheckContext) -> Iterator[Observation]:
    public = context.public_store
    public_anchors = public if public is not None else ()
    own_roots = sum(len(store) for store in context.stores  # type: ignore[arg-type]
                    if store is not public and hasattr(store, "__len__"))
    for problem in context.chain.problems(chains.MISSING_INTERMEDIATE):
        last = context.facts(problem.certificate)
        judgement = judge(last, supplied_ca=last.is_ca, public_anchors=public_anchors,
                          public_store_name=public.name if public is not None else "the public root store",
                          own_roots_given=own_roots)
        issuer: x509.Name = problem.details["missing_issuer"]
        if judgement.kind == PRIVATE_ROOT:
            yield PRIVATE_ROOT_NOT_SUPPLIED.observe(
                problem.certificate, record=judgement.to_dict(),
                missing_issuer=_issuer_phrase(issuer), reasons=judgement.reasons,
                nothing_else=_nothing_else(context, problem.certificate),
                own_ca=(_sender_ca_words(issuer, context.add_root_where) if _received(context)
                        else _own_ca_words(issuer, own_roots, context.add_root_where)),
                not_ours="" if own_roots or _received(context) else ("Otherwise, ask whoever issued the certificate for the rest "
                                               "of the chain. "))
            continue
        url = problem.details.get("ca_issuers_url")
        yield MISSING_INTERMEDIATE.observe(
            problem.certificate, record=judgement.to_dict(),
            missing_issuer=_issuer_phrase(issuer), missing_name=_short_name(issuer),
            reasons=judgement.reasons,
            # With a URL the evidence names it already.
            where="" if url else "The certificate does not say where to download it (no AIA caIssuers URL).",
            download=f"It can be fetched from {url}." if url else "")


def _own_ca_words(issuer: x509.Name, own_roots: int, add_root_where: str) -> str:
    """The first step of the fix, using what the person said: roots given as theirs, or none."""
    name = _short_name(issuer)
    if own_roots:
        given = ("The root given as your organisation's" if own_roots == 1
                 else "None of the roots given as your organisation's")
        verb = "is not" if own_roots == 1 else "is"
        return f"{given} {verb} {name}: add that root {add_root_where} instead, and check again. {_WHERE_TO_GET_IT}"
    return (f"If your organisation runs its own certificate authority, add its root, {name}, {add_root_where} "
            f"and check again. {_WHERE_TO_GET_IT}")


def _received(context: CheckContext) -> bool:
    """A signed message checked by its recipient: the chain explained starts at a message's signer."""
    return context.chain.start in {m.signer for m in context.inputs.messages if m.signer is not None}


def _sender_ca_words(issuer: x509.Name, add_root_where: str) -> str:
    """The fix for a recipient: the root is the sender's organisation's, so ask them for it."""
    return (f"The sender's organisation runs its own certificate authority. To check the message to the "
            f"end, ask the sender or their IT team for its root, {_short_name(issuer)}, and add it "
            f"{add_root_where}. Install it on your own devices only if you trust that organisation.")


_WHERE_TO_GET_IT = ("Your IT team, or whoever runs the CA, can export it from the CA software (a .cer or .pem "
                    "file).")


def _nothing_else(context: CheckContext, last: x509.Certificate) -> str:
    """Say that what was supplied is complete, so nobody is told to add a certificate they gave."""
    if context.facts(last).is_ca and last in context.supplied:
        return (f"The intermediate you supplied, {context.facts(last).label}, is there and in its place: "
                "only the root is missing.")
    return ""


def _short_name(issuer: x509.Name) -> str:
    """"“Example Issuing CA”": the name people know, or the full name when it has no common name."""
    common_names = issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
    if common_names:
        return f"\u201c{common_names[0].value}\u201d"
    return f"\u201c{issuer.rfc4514_string() or '(an empty name)'}\u201d"


def _issuer_phrase(issuer: x509.Name) -> str:
    """"“Example Issuing CA” (CN=Example Issuing CA,O=Example)": the name people know, then the
    full name to search for."""
    full = issuer.rfc4514_string() or "(an empty name)"
    common_names = issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not common_names:
        return f"\u201c{full}\u201d"
    return f"\u201c{common_names[0].value}\u201d ({full})"
