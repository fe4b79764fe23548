"""Validity period of every certificate on the path (RFC 5280 sections 4.1.2.5 and 6.1.3 (a)(2))."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..findings import Severity
from ..wording import counted
from .context import CheckContext
from .registry import Observation, check, rule

EXPIRING_SOON_DAYS = 30
EXPIRED_HELP = "/learn/certificate-exists-but-unusable/#expired"

EXPIRED = rule(
    code="validity.expired", severity=Severity.ERROR, reference="RFC 5280 section 4.1.2.5",
    learn_more=EXPIRED_HELP,
    title="A certificate has expired",
    explanation="{certificate} was valid until {not_after}; it expired {days} before "
                "the time checked ({at}).",
    fix="{renew}")
NOT_YET_VALID = rule(
    code="validity.not_yet_valid", severity=Severity.ERROR, reference="RFC 5280 section 4.1.2.5",
    learn_more=EXPIRED_HELP,
    title="A certificate is not valid yet",
    explanation="{certificate} only becomes valid on {not_before}, after the time checked ({at}).",
    fix="Wait until that date, or check the computer's clock: a clock set in the past makes new "
        "certificates look not yet valid.")
EXPIRING_SOON = rule(
    code="validity.expiring_soon", severity=Severity.WARNING, reference="RFC 5280 section 4.1.2.5",
    learn_more=EXPIRED_HELP,
    title="A certificate expires soon",
    explanation="{certificate} expires on {not_after}, in {days}.",
    fix="{renew} Keep the old key and certificate after renewal so you can still read mail "
        "encrypted to it.")

RENEW_LEAF = "Renew the certificate with your certificate authority and install the new one."
RENEW_CA = ("This is a CA certificate: get the current intermediate from your certificate "
            "authority, or a new certificate issued under a valid CA.")


@check
def validity(context: CheckContext) -> Iterator[Observation]:
    at = context.at
    for certificate in context.path:
        info = context.facts(certificate)
        renew = RENEW_CA if info.is_ca else RENEW_LEAF
        if at < info.not_before:
            yield NOT_YET_VALID.observe(certificate, at=at)
        elif at > info.not_after:
            yield EXPIRED.observe(certificate, at=at, days=counted((at - info.not_after).days, "day"), renew=renew)
        elif info.not_after - at <= dt.timedelta(days=EXPIRING_SOON_DAYS):
            yield EXPIRING_SOON.observe(certificate, days=counted((info.not_after - at).days, "day"), renew=renew)
