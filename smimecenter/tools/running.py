"""The one place where the page and the API call the engine: limits and trust anchors from settings."""
from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from smimecenter.diagnostics.inputs import Limits
from smimecenter.diagnostics.trust import TrustStore, TrustStoreError

from .forms import DiagnosisRequest
from .online import online_checks_for

ORGANISATION_ROOT_NAME = "Your organisation's root"
# The command line gives files of anchors the same name, so the page, the API and the CLI agree.
CONFIGURED_ANCHORS_NAME = "Extra trust anchors"


class BadTrustAnchor(ValueError):
    """A root certificate uploaded as a trust anchor could not be read; the message is for a person."""


def engine_limits() -> Limits:
    return Limits(
        max_input_bytes=settings.DIAGNOSE_MAX_INPUT_BYTES,
        max_certificates=settings.DIAGNOSE_MAX_CERTIFICATES,
        max_pkcs12_iterations=settings.DIAGNOSE_MAX_PKCS12_ITERATIONS,
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
            stores.append(TrustStore.from_pem(data, name=ORGANISATION_ROOT_NAME,
                                              provenance={"source": "uploaded with this check"}))
        except TrustStoreError:
            raise BadTrustAnchor("The root certificate you added could not be read: it should be a "
                                 "certificate in PEM (-----BEGIN CERTIFICATE-----) or DER form.") from None
    return stores


def run_diagnosis(request: DiagnosisRequest):
    """The engine's Report for one request. Raises BadTrustAnchor for an unreadable uploaded root and
    OnlineNotAllowed when online checks are asked for on a site that has them off."""
    from smimecenter.diagnostics import diagnose

    online = online_checks_for(request.online)
    return diagnose(request.inputs, email=request.email, password=request.password,
                    trust=trust_for(request) or None, limits=engine_limits(), online=online)

