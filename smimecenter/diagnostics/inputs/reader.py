"""read_inputs: turn whatever a person pasted or uploaded into certificates and facts, never raising."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from . import events, text
from .blobs import read_der
from .collector import Collector
from .limits import Limits
from .model import ParsedInputs

logger = logging.getLogger(__name__)

DEFAULT_LIMITS = Limits()


def read_inputs(
    inputs: Sequence[bytes], *, password: str | bytes | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParsedInputs:
    """Read every input; bad bytes become events, never exceptions."""
    collector = Collector(limits, password)
    if not inputs:
        collector.event(events.INPUT_EMPTY, origin=None)
        return collector.finish()
    total = sum(len(data) for data in inputs)
    if total > limits.max_input_bytes:  # refuse before looking at a single byte
        collector.event(events.INPUT_TOO_LARGE, size=total, limit=limits.max_input_bytes)
        return collector.finish()
    for index, data in enumerate(inputs, start=1):
        origin = f"input {index}" if len(inputs) > 1 else "the input"
        if collector.out_of_time:  # a cooperative deadline: OpenSSL cannot be interrupted, a loop can
            collector.event(events.INPUT_TOO_SLOW, origin=origin, seconds=limits.max_seconds)
            break
        try:
            read_one(collector, data.encode("utf-8") if isinstance(data, str) else bytes(data), origin)
        except Exception as problem:  # a reader bug must not cost the person their whole report
            logger.warning("input reader failed on %s: %s", origin, type(problem).__name__)
            collector.unreadable(origin, "unknown data", "it could not be read")
    return collector.finish()


def read_one(collector: Collector, data: bytes, origin: str) -> None:
    if not data.strip():
        collector.event(events.INPUT_EMPTY, origin=origin)
        return
    if text.looks_like_der(data):
        read_der(collector, data, origin, "der")
        return
    text.read_text_or_binary(collector, data, origin)
