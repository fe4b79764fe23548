"""Where the chain ends: a trusted anchor, a root nobody trusts, or a certificate that signed itself."""
from __future__ import annotations

from collections.abc import Iterator

from .. import chains
from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

TRUSTED = rule(
    code="chain.trusted", severity=Severity.INFO, reference="RFC 5280 section 6.1",
    learn_more="/learn/why-trust-fails/#how-chains-work",
    title="The chain leads to a trusted root",
    explanation="{certificate} chains up to {anchor}, {where}.",
    fix="Nothing to fix in the chain.")
UNTRUSTED_ROOT = rule(
    code="chain.untrusted_root", severity=Severity.ERROR, reference="RFC 5280 section 6.1.1 (d)",
    learn_more="/learn/why-trust-fails/#untrusted-root",
    title="The chain ends at a root that mail clients do not trust",
    explanation="The chain ends at {certificate}, a root certificate that is not in {stores}. "
                "Recipients will see the signature as untrusted unless they install this root "
                "themselves.",
    fix="If this is your organisation's own root, check again with it added {add_root}, and install it on "
        "every device that reads your mail. "
        "Otherwise use a certificate from a publicly trusted S/MIME certificate authority.")
SELF_SIGNED_LEAF = rule(
    code="chain.self_signed_leaf", severity=Severity.ERROR, reference="RFC 5280 section 3.2",
    learn_more="/learn/why-trust-fails/#self-signed",
    title="The certificate is self-signed",
    explanation="{certificate} signed itself: no certificate authority vouches for it, so no "
                "mail client will trust it unless each recipient accepts it by hand.",
    fix="Get a certificate from an S/MIME certificate authority (several issue them free for "
        "personal mail), or from your organisation's own CA.")


@check
def chain_end(context: CheckContext) -> Iterator[Observation]:
    best = context.chain.best
    if best is None:
        return
    if best.trusted and best.anchor is not None and best.store is not None:
        yield TRUSTED.observe(best.certificates[0], anchor=context.facts(best.anchor).label,
                              where=_where_trusted(context, best.store))
    stores = " or ".join(s.name for s in context.stores) or "any trust store"
    for problem in context.chain.problems(chains.UNTRUSTED_ROOT):
        yield UNTRUSTED_ROOT.observe(problem.certificate, stores=stores, add_root=context.add_root_where)
    for problem in context.chain.problems(chains.SELF_SIGNED_LEAF):
        yield SELF_SIGNED_LEAF.observe(problem.certificate)


def _where_trusted(context: CheckContext, store) -> str:
    """A public root store trusts wherever mail apps use it; a root given to this check (an organisation's,
    an example's, a file on the command line) trusts only on devices where someone installed it."""
    if store is context.public_store:
        version = store.provenance.get("version") or store.provenance.get("date")
        return (f"which is in {store.name}{f' (version {version})' if version else ''}. Mail clients that "
                "use this root store will trust it for email")
    return (f"a root this check was given as trusted ({store.name}). Mail apps trust it for email only "
            "on devices where that root is installed")
