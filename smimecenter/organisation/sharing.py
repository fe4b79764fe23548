"""Share links for a diagnosis: what is stored, for how long, and how it is run again.

A share holds the public certificates (re-encoded from parsed certificates, so nothing that rode
along in the pasted text survives), the address the person typed, and when they ran the check.
All three come from a signed offer the server wrote on the result page (Django's signing, with a
timestamp): a share stores only what the server itself saw, never free text posted to /share/.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import secrets
import warnings

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.utils import CryptographyDeprecationWarning
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from smimecenter.diagnostics.inputs.pem import find_blocks, normalise
from smimecenter.organisation.models import SharedDiagnosis, hash_delete_token

DEFAULT_LIFETIME_DAYS = 30
# A share is of one person's chain; more than this is not a chain but a store.
MAX_SHARED_CERTIFICATES = 20
PURGE_MARK_KEY = "organisation:shares:last-purge"
# Shares one client address may create per hour: far above what a person needs, low enough that one
# client cannot fill the database. A token bucket in Django's cache, like the certificate check's own limit.
SHARES_PER_CLIENT_PER_HOUR = 20

OFFER_SALT = "smimecenter.organisation.share-offer"
# How long a result page's offer can still be turned into a share: a day covers a page left open overnight.
OFFER_MAX_AGE = dt.timedelta(days=1)


class NothingToShare(ValueError):
    """No certificate could be read from what was posted."""


def lifetime() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "SHARE_LIFETIME_DAYS", DEFAULT_LIFETIME_DAYS))


def certificates_in_pem_text(text: str) -> list[bytes]:
    """DER of each certificate in `text`, in order and without duplicates; everything else is dropped.

    Uses the engine's PEM scanner, which only moves forward: hostile text costs linear time.
    """
    return _certificates_only(block.data for block in find_blocks(normalise(text or ""))
                              if block.label == "CERTIFICATE" and block.data)


def _certificates_only(candidates) -> list[bytes]:
    """Each candidate that parses as a certificate, re-encoded (so nothing else rides along), once."""
    found: list[bytes] = []
    for data in candidates:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CryptographyDeprecationWarning)
                der = x509.load_der_x509_certificate(data).public_bytes(Encoding.DER)
        except ValueError:
            continue
        if der not in found:
            found.append(der)
    return found


def offer_token(certificates_der: list[bytes], email: str | None, checked_at: dt.datetime | str | None) -> str:
    """The signed offer a result page embeds: the certificates, address and check time the server saw."""
    if isinstance(checked_at, str):
        checked_at = dt.datetime.fromisoformat(checked_at.replace("Z", "+00:00")) if checked_at else None
    moment = checked_at or timezone.now()
    payload = {"c": [base64.b64encode(der).decode("ascii") for der in certificates_der[:MAX_SHARED_CERTIFICATES]],
               "e": (email or "")[:320], "t": moment.isoformat()}
    return signing.dumps(payload, salt=OFFER_SALT, compress=True)


def read_offer(token: str) -> tuple[list[bytes], str | None, dt.datetime]:
    """Certificates (DER), address and check time from an offer; NothingToShare when it is not ours or too old."""
    try:
        payload = signing.loads(token, salt=OFFER_SALT, max_age=OFFER_MAX_AGE)
    except signing.SignatureExpired:
        raise NothingToShare("This result is more than a day old. Run the check again, then share the new "
                             "result.") from None
    except signing.BadSignature:
        raise NothingToShare("The share request did not come from a result page of this site, so there is "
                             "nothing to share.") from None
    try:
        certificates = _certificates_only(base64.b64decode(item, validate=True) for item in payload["c"])
        diagnosed_at = dt.datetime.fromisoformat(payload["t"])
        email = str(payload["e"]) or None
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise NothingToShare("The share request could not be read.") from None
    if not certificates:
        raise NothingToShare("No certificate came with the request, so there is nothing to share.")
    return certificates, email, diagnosed_at


def _pem_of(certificates_der: list[bytes]) -> str:
    blocks = []
    for der in certificates_der:
        # Parsing and re-encoding proves each item is a certificate and nothing else.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            certificate = x509.load_der_x509_certificate(der)
        blocks.append(certificate.public_bytes(Encoding.PEM).decode("ascii"))
    return "".join(blocks)


def create_share(certificates_der: list[bytes], email: str | None,
                 diagnosed_at: dt.datetime) -> tuple[SharedDiagnosis, str]:
    """Store a share; returns it and the delete token, which is shown once and only its hash kept."""
    if not certificates_der:
        raise NothingToShare("There is no certificate to share.")
    if len(certificates_der) > MAX_SHARED_CERTIFICATES:
        raise NothingToShare(f"A share link holds at most {MAX_SHARED_CERTIFICATES} certificates.")
    now = timezone.now()
    delete_token = secrets.token_urlsafe(32)
    share = SharedDiagnosis.objects.create(
        token=secrets.token_urlsafe(32),
        delete_token_hash=hash_delete_token(delete_token),
        certificates_pem=_pem_of(certificates_der),
        email=(email or "").strip()[:320],
        # A time in the future cannot be when the check ran: the moment of sharing is the honest bound.
        diagnosed_at=min(diagnosed_at, now),
        created_at=now,
        expires_at=now + lifetime(),
    )
    purge_now_and_then()
    return share, delete_token


def live_share(token: str) -> SharedDiagnosis | None:
    """The share for `token` if it exists and has not expired (an expired one is deleted on sight)."""
    share = SharedDiagnosis.objects.filter(token=token).first()
    if share is None:
        return None
    if share.is_expired():
        share.delete()
        return None
    return share


def purge_expired(now: dt.datetime | None = None) -> int:
    deleted, _ = SharedDiagnosis.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def purge_now_and_then() -> int:
    """Purge expired shares at most once per SHARE_PURGE_INTERVAL_MINUTES (0: only `manage.py purge_shares`)."""
    minutes = getattr(settings, "SHARE_PURGE_INTERVAL_MINUTES", 60)
    if minutes <= 0:
        return 0
    # cache.add succeeds for one caller per interval (per cache: per process with the default cache).
    if not cache.add(PURGE_MARK_KEY, True, timeout=minutes * 60):
        return 0
    return purge_expired()


def too_many_shares_from(client_address: str) -> bool:
    """Count one share for this client; True once it has used up its hourly allowance."""
    from smimecenter.tools.ratelimit import TokenBucket

    bucket = TokenBucket("shares", burst=SHARES_PER_CLIENT_PER_HOUR, per_second=SHARES_PER_CLIENT_PER_HOUR / 3600)
    return not bucket.take(client_address).allowed


def rerun(share: SharedDiagnosis):
    """Diagnose the shared certificates again, now, with today's trust anchors."""
    from smimecenter.diagnostics import diagnose
    from smimecenter.tools.running import engine_limits, site_trust_stores

    stores = site_trust_stores()
    return diagnose([share.certificates_pem.encode("ascii")], email=share.email or None,
                    trust=stores or None, limits=engine_limits())
