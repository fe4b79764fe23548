"""The S/MIME diagnosis engine: pure Python, no Django (only management/commands import Django).

    report = diagnose([pem_bytes], email="alice@example.com")
    report.status, report.summary, report.to_dict()
"""
from __future__ import annotations

from .engine import diagnose
from .findings import Finding, Severity
from .inputs import Limits
from .library_notices import quiet_input_notices
from .report import Report
from .trust import TrustStore, email_trust_store

quiet_input_notices()

__all__ = ["Finding", "Limits", "Report", "Severity", "TrustStore", "diagnose", "email_trust_store"]
