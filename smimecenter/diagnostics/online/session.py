"""One diagnosis's online work, called from the engine in one place: before the chain is built
(fetch missing intermediates) and after (ask whether each certificate of the path is revoked)."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cryptography import x509

from ..certinfo import CertificateFacts
from ..chains import ChainAnalysis, TrustStoreLike
from .fetch import Fetcher, FetchPolicy, ResponseCache
from .intermediates import FetchedCertificate, IntermediateSearch, fetch_missing_intermediates
from .revocation import RevocationAnswer, check_revocation

__all__ = ["OnlineChecks", "OnlineResult", "OnlineSession"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OnlineChecks:
    """What the site allows: the fetch policy and where answers are cached (None: not cached)."""

    policy: FetchPolicy = field(default_factory=FetchPolicy)
    cache: ResponseCache | None = None

    def session(self, stores: Sequence[TrustStoreLike],
                facts: Callable[[x509.Certificate], CertificateFacts], at: dt.datetime) -> OnlineSession:
        return OnlineSession(Fetcher(self.policy, self.cache), stores, facts, at)


@dataclass(frozen=True)
class OnlineResult:
    """What the online checks found, for the checks catalog and the report."""

    fetched: tuple[FetchedCertificate, ...] = ()
    fetch_failures: tuple[tuple[str, str], ...] = ()
    revocation: tuple[RevocationAnswer, ...] = ()  # one per certificate of the path that says where to ask
    requests_made: int = 0


class OnlineSession:
    def __init__(self, fetcher: Fetcher, stores: Sequence[TrustStoreLike],
                 facts: Callable[[x509.Certificate], CertificateFacts], at: dt.datetime) -> None:
        self.fetcher, self.stores, self.facts, self.at = fetcher, stores, facts, at
        self._search = IntermediateSearch()

    def missing_intermediates(self, start: x509.Certificate | None,
                              supplied: Sequence[x509.Certificate]) -> list[x509.Certificate]:
        """Issuers nobody supplied, fetched from caIssuers; the engine adds them to path building."""
        try:
            self._search = fetch_missing_intermediates(start, supplied, self.stores, self.facts, self.fetcher)
        except Exception as problem:  # an odd certificate must cost the online part, not the report
            logger.warning("fetching intermediates failed: %s", type(problem).__name__)
        return [item.certificate for item in self._search.fetched]

    def result(self, chain: ChainAnalysis) -> OnlineResult:
        """Revocation of each certificate of the best path; only fetched certificates it uses count."""
        used = set(chain.certificates)
        anchor = chain.best.anchor if chain.best is not None else None
        try:
            revocation = check_revocation(chain.certificates, anchor, self.facts, self.fetcher, self.at)
        except Exception as problem:  # as above; the log names only the error type, never the input
            logger.warning("revocation checking failed: %s", type(problem).__name__)
            revocation = []
        return OnlineResult(fetched=tuple(f for f in self._search.fetched if f.certificate in used),
                            fetch_failures=self._search.failures, revocation=tuple(revocation),
                            requests_made=self.fetcher.requests_made)
