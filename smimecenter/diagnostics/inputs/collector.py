"""The one place where findings of the readers are gathered, and where the certificate limit is kept."""

from __future__ import annotations

import time

from cryptography import x509

from ..parser_words import in_plain_words
from . import events
from .errors import certificate_problem
from .limits import Limits
from .model import Event, ParsedInputs, SuppliedCertificate

MAX_EVENTS_PER_CODE = 50  # a crafted input could otherwise raise one event per byte pattern


class Collector:
    """Accumulates what every reader finds; readers never build ParsedInputs themselves."""

    def __init__(self, limits: Limits, password: str | bytes | None) -> None:
        self.limits = limits
        self.password = password
        self.parsed = ParsedInputs()
        self._dropped_certificates = 0
        self._event_counts: dict[str, int] = {}
        self.work_left = limits.max_kdf_work
        self._slot: object | None = None  # the entered kdf_slot context, released by finish()
        self._slot_held: bool | None = None
        self._deadline = time.monotonic() + limits.max_seconds

    def spend_work(self, units: int) -> bool:
        """Take `units` of key-derivation work from the request's budget; False (nothing taken) when over it."""
        if units > self.work_left:
            return False
        self.work_left -= units
        return True

    def hold_kdf_slot(self) -> bool:
        """Take the machine's key-derivation slot for the rest of this reading (limits.kdf_slot).

        True when held, or when no slot is configured; False when every slot is busy elsewhere.
        """
        if self.limits.kdf_slot is None:
            return True
        if self._slot_held is None:
            self._slot = self.limits.kdf_slot()
            self._slot_held = bool(self._slot.__enter__())
        return self._slot_held

    @property
    def out_of_time(self) -> bool:
        return time.monotonic() > self._deadline

    def event(self, code: str, *, certificate: x509.Certificate | None = None, **details: object) -> None:
        count = self._event_counts.get(code, 0) + 1
        self._event_counts[code] = count
        if count <= MAX_EVENTS_PER_CODE:
            self.parsed.events.append(Event(code=code, details=details, certificate=certificate))

    def unreadable(self, origin: str, kind: str, reason: str | None = None,
                   parser_message: str | None = None) -> None:
        """parser_message: what the parsing library said, kept for experts; reason says it in plain words."""
        if parser_message:
            self.event(events.INPUT_UNREADABLE, origin=origin, kind=kind, reason=reason,
                       parser_message=parser_message[:300])
        else:
            self.event(events.INPUT_UNREADABLE, origin=origin, kind=kind, reason=reason)

    @property
    def certificates_full(self) -> bool:
        return len(self.parsed.certificates) >= self.limits.max_certificates

    def certificate(self, certificate: x509.Certificate, origin: str, container: str) -> bool:
        """Keep a certificate; False when it is damaged (an event says so) or over the limit."""
        if self.certificates_full:
            self._dropped_certificates += 1
            return False
        problem = certificate_problem(certificate)
        if problem is not None:
            self.unreadable(origin, "damaged certificate",
                            f"part of it does not follow the X.509 rules: {in_plain_words(problem)}", problem)
            return False
        self.parsed.certificates.append(SuppliedCertificate(certificate, origin, container))
        return True

    def count_dropped_certificate(self) -> None:
        """A certificate seen past the limit without being parsed at all."""
        self._dropped_certificates += 1

    def finish(self) -> ParsedInputs:
        if self._slot is not None:
            self._slot.__exit__(None, None, None)
            self._slot = None
        if self._dropped_certificates:
            self.event(
                events.INPUT_TOO_MANY_CERTIFICATES,
                limit=self.limits.max_certificates,
                kept=len(self.parsed.certificates),
                dropped=self._dropped_certificates,
            )
        self._note_suppressed_events()
        return self.parsed

    def _note_suppressed_events(self) -> None:
        """The last kept event of a capped code says how many more of its kind were left out."""
        events_list = self.parsed.events
        for code, count in self._event_counts.items():
            if count <= MAX_EVENTS_PER_CODE:
                continue
            index = max(i for i, event in enumerate(events_list) if event.code == code)
            last = events_list[index]
            events_list[index] = Event(last.code, {**last.details, "more_like_this": count - MAX_EVENTS_PER_CODE},
                                       last.certificate)
