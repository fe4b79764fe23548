"""Everything a check may look at, computed once per diagnosis."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography import x509

from ..certinfo import CertificateFacts, facts_of
from ..chains import ChainAnalysis, TrustStoreLike
from ..inputs import ParsedInputs
from ..online.session import OnlineResult

__all__ = ["ADD_ROOT_WHERE", "CheckContext"]

# Where a root is added when the caller does not say: the engine called as a library.
ADD_ROOT_WHERE = "to the roots the check trusts"


@dataclass
class CheckContext:
    at: dt.datetime
    email: str | None  # the address the person expects, as typed
    inputs: ParsedInputs
    supplied: Sequence[x509.Certificate]  # each supplied certificate once, in the order found
    leaf: x509.Certificate | None  # the end-entity certificate explained, None with only CAs
    chain: ChainAnalysis
    stores: Sequence[TrustStoreLike]
    public_store: TrustStoreLike | None = None  # the Mozilla email roots, when loaded
    # Certificates that loaded but whose names, dates or key cannot be decoded, with the reason.
    unreadable: Sequence[tuple[x509.Certificate, str]] = ()
    _facts: dict[int, CertificateFacts] = field(default_factory=dict)
    # What the online checks found; None when the diagnosis ran offline.
    online: OnlineResult | None = None
    # Where the person adds a root of their own, in the words of the way they asked (the web form's field,
    # the command line's option, the API's list); fixes that ask for a root end their instruction with it.
    add_root_where: str = ADD_ROOT_WHERE
    # What several checks read alike, worked out by the first of them (profile_scope.py).
    computed: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def facts(self, certificate: x509.Certificate) -> CertificateFacts:
        return facts_of(certificate, self._facts)

    @property
    def path(self) -> tuple[x509.Certificate, ...]:
        """The best path, leaf first; just the explained certificate when no path was built."""
        if self.chain.certificates:
            return self.chain.certificates
        return (self.chain.start,) if self.chain.start is not None else ()

    def is_anchor(self, certificate: x509.Certificate) -> bool:
        best = self.chain.best
        return best is not None and best.anchor is not None and best.anchor == certificate

    @property
    def publicly_trusted(self) -> bool:
        best = self.chain.best
        return bool(best and best.trusted and self.public_store is not None
                    and best.store is self.public_store)

    @property
    def expected_addresses(self) -> list[tuple[str, str]]:
        """(address, where it came from) pairs the leaf should carry."""
        wanted: list[tuple[str, str]] = []
        if self.email:
            wanted.append((self.email.strip(), "the address you entered"))
        for message in self.inputs.messages:
            if message.from_address and (self.leaf is None or message.signer in (None, self.leaf)):
                wanted.append((message.from_address, f"the From address of {message.origin}"))
        return wanted
