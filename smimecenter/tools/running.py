"""The one place where the page and the API call the engine: limits and trust anchors from settings."""
from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from smimecenter.diagnostics.engine import diagnose_parsed, trust_stores
from smimecenter.diagnostics.inputs import Limits, read_inputs
from smimecenter.diagnostics.inputs.events import PKCS12_BUSY, PKCS12_OVER_BUDGET
from smimecenter.diagnostics.report import Report
from smimecenter.diagnostics.trust import TrustStore, TrustStoreError

from .forms import DiagnosisRequest
from .kdf_slots import kdf_slot
from .online import online_checks_for

# Lower case: it is read inside sentences ("trusted for email by your organisation's root").
ORGANISATION_ROOT_NAME = "your organisation's root"
# The command line gives files of anchors the same name, so the page, the API and the CLI agree.
CONFIGURED_ANCHORS_NAME = "Extra trust anchors"


class BadTrustAnchor(ValueError):
    """A root certificate uploaded as a trust anchor could not be read; the message is for a person."""


class KdfBusy(Exception):
    """Every key-derivation slot of the machine is busy: the answer is a 503 asking to try again shortly."""

    RETRY_AFTER_SECONDS = 5

    def __init__(self, names: list[str]) -> None:
        self.message = (f"Other checks are opening password-protected files right now, so {' and '.join(names)} "
                        f"could not be opened. Send the check again in a few seconds.")
        super().__init__(self.message)


class OverWorkBudget(Exception):
    """Opening the request's .p12 files would take more key-derivation work than one request may spend.

    The answer is a 413 naming the files: the request as sent cannot be checked, a smaller one can.
    """

    def __init__(self, names: list[str]) -> None:
        listed = " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]
        self.message = (f"Opening {listed} would take more work than one check may spend on password-protected "
                        "files (the work a file asks for is read before any of it is done), so nothing was "
                        "checked. Export it again with a usual iteration count; if you sent several .p12 files, "
                        "check them one at a time.")
        super().__init__(self.message)


def engine_limits() -> Limits:
    return Limits(
        max_input_bytes=settings.DIAGNOSE_MAX_INPUT_BYTES,
        max_certificates=settings.DIAGNOSE_MAX_CERTIFICATES,
        max_pkcs12_iterations=settings.DIAGNOSE_MAX_PKCS12_ITERATIONS,
        max_kdf_work=settings.DIAGNOSE_MAX_KDF_WORK,
        max_seconds=settings.DIAGNOSE_MAX_SECONDS,
        kdf_slot=kdf_slot,
    )


@functools.cache
def configured_trust_stores(paths: tuple[str, ...]) -> tuple[TrustStore, ...]:
    """The anchors of DIAGNOSE_TRUST_FILES, read once per process (the files change with a deployment)."""
    stores = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
            stores.append(TrustStore.from_pem(data, name=CONFIGURED_ANCHORS_NAME,
                                              provenance={"source": f"file {Path(path).name}"}))
        except (OSError, TrustStoreError) as problem:
            raise ImproperlyConfigured(f"DIAGNOSE_TRUST_FILES: cannot use {path}: {problem}") from None
    return tuple(stores)


def site_trust_stores() -> list[TrustStore]:
    """Anchors this site trusts besides Mozilla's: the organisation's roots (managed in the admin),
    then those named by DIAGNOSE_TRUST_FILES."""
    from smimecenter.organisation.trust import organisation_trust_stores

    return [*organisation_trust_stores(), *configured_trust_stores(tuple(settings.DIAGNOSE_TRUST_FILES))]


def trust_for(request: DiagnosisRequest) -> list[TrustStore]:
    # The site's own anchors, then any root uploaded with this one check.
    stores = site_trust_stores()
    for data in request.trust:
        try:
            stores.append(TrustStore.from_pem(data, name=request.trust_name or ORGANISATION_ROOT_NAME,
                                              provenance={"source": "uploaded with this check"}))
        except TrustStoreError:
            raise BadTrustAnchor("The root certificate you added could not be read: it should be a "
                                 "certificate in PEM (-----BEGIN CERTIFICATE-----) or DER form.") from None
    return stores


def run_diagnosis(request: DiagnosisRequest, *, compliance: bool = False) -> Report:
    """The engine's Report for one request.

    Raises BadTrustAnchor for an unreadable uploaded root, OverWorkBudget when a .p12 file could not be
    opened within the request's key-derivation budget (engine_limits().max_kdf_work), KdfBusy when every
    key-derivation slot of the machine was taken, OnlineNotAllowed when online checks are asked for on a
    site that has them off.
    """
    online = online_checks_for(request.online)
    stores = trust_stores(trust_for(request))
    parsed = read_inputs(request.inputs, password=request.password, limits=engine_limits())
    over = [event.details["origin"] for event in parsed.events if event.code == PKCS12_OVER_BUDGET]
    if over:
        raise OverWorkBudget([request.name_of(str(origin)) for origin in over])
    busy = [event.details["origin"] for event in parsed.events if event.code == PKCS12_BUSY]
    if busy:
        raise KdfBusy([request.name_of(str(origin)) for origin in busy])
    return diagnose_parsed(parsed, email=request.email, stores=stores, public_store=stores[0], at=None,
                           compliance=compliance, online=online, add_root_where=request.add_root_where)

