"""Certificate authorities seen before in this process, parsed and explained once.

A handful of CAs issue nearly every S/MIME certificate, so nearly every diagnosis carries an
intermediate (and often a root) that an earlier one already read. Everything the engine derives
from a CA certificate alone (its parsed form, its facts, whether another CA's key signed it)
depends only on its bytes, so it is kept here, keyed by those exact bytes or by the object
handed out for them, and reused.

Only CA certificates are kept: they are public infrastructure. A person's own (end-entity)
certificate is read afresh for every diagnosis and never outlives it. The set is bounded
(least recently used out first), so a stream of hostile bundles costs memory once, not forever.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

if TYPE_CHECKING:
    from .certinfo import CertificateFacts

__all__ = ["KnownAuthorities", "known_authorities"]

DEFAULT_CAPACITY = 2048


class KnownAuthorities:
    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self._lock = threading.Lock()
        # DER bytes -> facts (whose .certificate is the one object handed out for those bytes)
        self._by_der: OrderedDict[bytes, CertificateFacts] = OrderedDict()
        # id(certificate) -> facts; the facts hold the certificate, so the id stays its own
        self._by_id: dict[int, CertificateFacts] = {}

    def __len__(self) -> int:
        return len(self._by_der)

    def certificate(self, der: bytes) -> x509.Certificate | None:
        """The parsed CA certificate for exactly these bytes, when one was seen before."""
        facts = self._by_der.get(der)
        if facts is None:
            return None
        with self._lock:
            if der in self._by_der:
                self._by_der.move_to_end(der)
        return facts.certificate

    def facts(self, certificate: x509.Certificate) -> CertificateFacts | None:
        facts = self._by_id.get(id(certificate))
        return facts if facts is not None and facts.certificate is certificate else None

    def is_known(self, certificate: x509.Certificate) -> bool:
        return self.facts(certificate) is not None

    def remember(self, facts: CertificateFacts) -> CertificateFacts:
        """Keep the facts of a CA certificate; returns the facts kept for its bytes (maybe older ones).

        The caller has decided it is a CA (basicConstraints cA); anything else is refused.
        """
        if not facts.is_ca or not _fully_readable(facts):
            return facts
        der = facts.certificate.public_bytes(Encoding.DER)
        with self._lock:
            kept = self._by_der.get(der)
            if kept is not None:
                self._by_der.move_to_end(der)
                return kept
            self._by_der[der] = facts
            self._by_id[id(facts.certificate)] = facts
            while len(self._by_der) > self.capacity:
                _, evicted = self._by_der.popitem(last=False)
                self._by_id.pop(id(evicted.certificate), None)
        return facts

    def clear(self) -> None:
        with self._lock:
            self._by_der.clear()
            self._by_id.clear()


def _fully_readable(facts: CertificateFacts) -> bool:
    """Whether every part the engine reads decodes; a certificate kept here is never re-screened."""
    try:
        facts.subject_der, facts.issuer_der, facts.not_before, facts.not_after  # noqa: B018
        facts.certificate.public_key()
    except Exception:  # cryptography raises several kinds for damaged fields
        return False
    return True


known_authorities = KnownAuthorities()
