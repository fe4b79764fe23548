"""Detection and parsing of whatever a person pastes or uploads; the engine's only way in.

Pure Python: no Django here. See events.py for the facts reported and their details.
"""

from __future__ import annotations

from . import events
from .limits import Limits
from .model import (
    BagProtection,
    Event,
    ParsedInputs,
    Pkcs12Contents,
    Pkcs12Protection,
    SignedMessage,
    SuppliedCertificate,
)
from .reader import read_inputs

__all__ = [
    "BagProtection",
    "Event",
    "Limits",
    "ParsedInputs",
    "Pkcs12Contents",
    "Pkcs12Protection",
    "SignedMessage",
    "SuppliedCertificate",
    "events",
    "read_inputs",
]
