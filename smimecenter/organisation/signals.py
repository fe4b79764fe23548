"""Saving or deleting configuration refreshes the snapshots that pages read."""
from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from smimecenter.organisation.article_notes import notes_snapshot
from smimecenter.organisation.branding import branding_snapshot
from smimecenter.organisation.models import Organisation, OrganisationNote, OrganisationTrustAnchor
from smimecenter.organisation.trust import trust_snapshot


@receiver([post_save, post_delete], sender=Organisation)
def organisation_changed(**kwargs: object) -> None:
    # The name appears in the header, in notes' call-outs and in the trust stores' names.
    branding_snapshot.invalidate()
    notes_snapshot.invalidate()
    trust_snapshot.invalidate()


@receiver([post_save, post_delete], sender=OrganisationTrustAnchor)
def trust_anchor_changed(**kwargs: object) -> None:
    trust_snapshot.invalidate()


@receiver([post_save, post_delete], sender=OrganisationNote)
def note_changed(**kwargs: object) -> None:
    notes_snapshot.invalidate()


def invalidate_all() -> None:
    """Forget every snapshot (tests, where rolled-back transactions send no signals)."""
    for snapshot in (branding_snapshot, notes_snapshot, trust_snapshot):
        snapshot.invalidate()
