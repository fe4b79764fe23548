"""The organisation's name and logo for the site header."""
from __future__ import annotations

from dataclasses import dataclass

from smimecenter.organisation.snapshots import RECHECK_SECONDS, Snapshot


@dataclass(frozen=True)
class Branding:
    name: str = ""
    logo_url: str = ""

    def __bool__(self) -> bool:
        return bool(self.name or self.logo_url)


def _load() -> Branding:
    from smimecenter.organisation.models import Organisation

    organisation = Organisation.load()
    if organisation is None:
        return Branding()
    # The version in the address lets browsers cache the logo for long and still see a new one at once.
    logo_url = f"/organisation/logo/?v={int(organisation.updated_at.timestamp())}" if organisation.logo else ""
    return Branding(name=organisation.name, logo_url=logo_url)


branding_snapshot = Snapshot("branding", _load, Branding(), recheck_seconds=RECHECK_SECONDS)


def current_branding() -> Branding:
    return branding_snapshot.get()
