"""The organisation's private roots as trust stores the diagnosis engine consults besides the built-in one."""
from __future__ import annotations

from smimecenter.diagnostics.trust import TrustStore, TrustStoreError
from smimecenter.organisation.snapshots import RECHECK_SECONDS, Snapshot

# Lower case: the root's name is read inside sentences ("trusted by your organisation's root").
DEFAULT_ORGANISATION_NAME = "your organisation"


def store_name(note: str, organisation_name: str) -> str:
    """How a report names the root: the admin's note, else "<organisation>'s root"."""
    if note.strip():
        return note.strip()
    return f"{organisation_name.strip() or DEFAULT_ORGANISATION_NAME}'s root"


def _load() -> tuple[TrustStore, ...]:
    from smimecenter.organisation.models import Organisation, OrganisationTrustAnchor

    organisation = Organisation.load()
    organisation_name = organisation.name if organisation else ""
    stores = []
    for anchor in OrganisationTrustAnchor.objects.order_by("id"):
        try:
            stores.append(TrustStore.from_pem(
                anchor.pem.encode("ascii"), name=store_name(anchor.note, organisation_name),
                provenance={"source": "added by your organisation's administrators",
                            "added": anchor.created_at.date().isoformat()}))
        except (TrustStoreError, UnicodeEncodeError):
            # Rows are validated on save; one edited behind the admin's back is skipped, not fatal.
            continue
    return tuple(stores)


# A root an admin adds or removes is used at once by the process that saved it, and by every other app
# server within RECHECK_SECONDS.
trust_snapshot = Snapshot("trust-anchors", _load, (), recheck_seconds=RECHECK_SECONDS)


def organisation_trust_stores() -> list[TrustStore]:
    """One store per private root, so that a report names the exact root that trusted a chain."""
    return list(trust_snapshot.get())
