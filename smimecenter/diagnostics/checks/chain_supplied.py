"""How the supplied bundle relates to the chain: order, repeats, extras and an included root."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

WRONG_ORDER = rule(
    code="chain.wrong_order", severity=Severity.WARNING, reference="RFC 5280 section 6.1",
    learn_more="/learn/why-trust-fails/#chain-order",
    title="The certificates are in an unusual order",
    explanation="In {origin} the certificates are not listed from yours up to the root "
                "(found: {found}). Many tools take the first certificate of a file to be yours.",
    fix="Put your own certificate first, then the intermediate that issued it, then the next "
        "one up.")
DUPLICATE = rule(
    code="chain.duplicate", severity=Severity.INFO, reference="RFC 5652 section 5.1",
    learn_more="/learn/why-trust-fails/#chain-order",
    title="A certificate was supplied more than once",
    explanation="{certificate} appears {count} times in what you supplied.",
    fix="No harm done; keep one copy to make the bundle tidier.")
UNRELATED = rule(
    code="chain.unrelated_certificate", severity=Severity.WARNING, reference="RFC 5280 section 6.1",
    learn_more="/learn/why-trust-fails/#how-chains-work",
    title="Some certificates play no part in the chain",
    explanation="Supplied, but not part of the chain of {leaf}: {names}.",
    fix="Check that you supplied the right files; remove certificates that do not belong to "
        "this chain.")
ROOT_INCLUDED = rule(
    code="chain.root_included", severity=Severity.INFO,
    reference="RFC 5280 section 6.1.1 (d)",
    learn_more="/learn/what-is-a-certificate-authority/#root-stores",
    title="The root certificate was included",
    explanation="{certificate} is a trusted root; mail clients take roots from their own store, "
                "so sending it along changes nothing.",
    fix="Nothing required; you may leave the root out of the bundle.")

NAMES_SHOWN = 5


@check
def wrong_order(context: CheckContext) -> Iterator[Observation]:
    """In each PEM/DER input the chain members should appear leaf first (PKCS#7 and CMS are sets)."""
    position = {cert: index for index, cert in enumerate(context.chain.certificates)}
    groups: dict[str, list] = {}
    for supplied in context.inputs.certificates:
        if supplied.container in ("pem", "der") and supplied.certificate in position:
            groups.setdefault(supplied.origin.split(",")[0], []).append(supplied.certificate)
    for origin, members in groups.items():
        order = [position[c] for c in dict.fromkeys(members)]
        if order != sorted(order):
            found = [context.facts(c).label for c in dict.fromkeys(members)]
            yield WRONG_ORDER.observe(None, origin=origin, found=" then ".join(found))


@check
def duplicates(context: CheckContext) -> Iterator[Observation]:
    counts = Counter(s.certificate for s in context.inputs.certificates
                     if s.container in ("pem", "der", "pkcs7"))
    for certificate, count in counts.items():
        if count > 1:
            yield DUPLICATE.observe(certificate, count=count)


@check
def unrelated(context: CheckContext) -> Iterator[Observation]:
    if context.chain.start is None:
        return
    on_path = set(context.chain.certificates) | {context.chain.start}
    # A second candidate for a name on the path (a cross-signed or re-keyed CA) is related.
    path_names = {context.facts(c).subject_der for c in on_path}
    from_messages = {c for m in context.inputs.messages for c in m.certificates}
    extras = [c for c in context.supplied
              if c not in on_path and c not in from_messages
              and context.facts(c).subject_der not in path_names]
    if extras:
        names = [context.facts(c).label for c in extras[:NAMES_SHOWN]]
        if len(extras) > NAMES_SHOWN:
            names.append(f"and {len(extras) - NAMES_SHOWN} more")
        yield UNRELATED.observe(extras[0] if len(extras) == 1 else None, count=len(extras),
                                names=names, leaf=context.facts(context.chain.start).label)


@check
def root_included(context: CheckContext) -> Iterator[Observation]:
    best = context.chain.best
    # Only a root some store trusts "changes nothing" when sent along; an untrusted one is
    # chain.untrusted_root's to explain.
    if best is not None and best.trusted and best.anchor is not None and best.anchor in set(context.supplied) \
            and len(best.certificates) > 1:
        yield ROOT_INCLUDED.observe(best.anchor)
