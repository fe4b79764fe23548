"""Findings of the online checks: intermediates fetched from the CA (RFC 5280 section 4.2.2.1)."""
from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from .context import CheckContext
from .registry import Observation, check, rule

INTERMEDIATE_FETCHED = rule(
    code="chain.intermediate_fetched", severity=Severity.WARNING,
    reference="RFC 5280 section 4.2.2.1; RFC 8551 section 2.4.1",
    learn_more="/learn/why-trust-fails/#missing-intermediate",
    title="A missing intermediate was downloaded from the certificate authority",
    explanation="{certificate} was not supplied. {child} says where to download it (its AIA caIssuers "
                "address), so we fetched it from {url} and the chain is complete with it. Windows mail "
                "apps may do the same; other mail apps and phones usually do not, and then fail.",
    fix="Use the fixed chain (download it with the chain below): install it together with your "
        "certificate, so that the intermediate travels with every message you sign.")

FETCH_FAILED = rule(
    code="chain.intermediate_fetch_failed", severity=Severity.INFO,
    reference="RFC 5280 section 4.2.2.1",
    learn_more="/learn/why-trust-fails/#missing-intermediate",
    title="The missing intermediate could not be downloaded",
    explanation="The certificates name {url} as the place to download the missing issuer's "
                "certificate, but {reason}.",
    fix="Ask your certificate authority for its intermediate (\u201cchain\u201d or \u201cbundle\u201d) file.")


@check
def fetched_intermediates(context: CheckContext) -> Iterator[Observation]:
    online = context.online
    if online is None:
        return
    for item in online.fetched:
        yield INTERMEDIATE_FETCHED.observe(item.certificate, url=item.url,
                                           child=context.facts(item.child).label)
    if context.chain.trusted:
        return
    for url, reason in online.fetch_failures:
        yield FETCH_FAILED.observe(None, url=url, reason=reason)
