"""`manage.py check` reports reading-list items and notes whose article or section is gone.

Content is checked on every start, but what staff saved in the database points into that content
and can go stale when an article is renamed without a redirect or a heading loses its anchor.
"""
from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.checks import CheckMessage, register
from django.db import DatabaseError
from django.utils import timezone


@register("organisation")
def check_saved_places(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        return _problems()
    except DatabaseError:
        # Checks run before `migrate` creates the tables: nothing saved yet, nothing to report.
        return []
    except RuntimeError:
        # Database access is not allowed where the checks run (a test without a database).
        return []


def _problems() -> list[CheckMessage]:
    from smimecenter.organisation.models import OrganisationNote, OrganisationTrustAnchor, ReadingListItem

    found: list[CheckMessage] = []
    for item in ReadingListItem.objects.select_related("reading_list"):
        place = item.resolved()
        if not place.ok:
            found.append(checks.Warning(
                f"Reading list “{item.reading_list.title}” (/lists/{item.reading_list.slug}/), item {item.position}: "
                f"{place.problem}",
                hint="Pick another article or section for this item in the admin; readers see it without a link.",
                obj=f"reading list item {item.pk}", id="organisation.W001"))
    for note in OrganisationNote.objects.all():
        place = note.resolved()
        if not place.ok:
            found.append(checks.Warning(
                f"Organisation note {note.pk} on {note}: {place.problem}",
                hint="Move the note to another article or section in the admin; until then it is not shown.",
                obj=f"organisation note {note.pk}", id="organisation.W002"))
    for anchor in OrganisationTrustAnchor.objects.filter(not_after__lte=timezone.now()):
        found.append(checks.Warning(
            f"The trust anchor “{anchor}” expired on {anchor.not_after:%Y-%m-%d}.",
            hint="Add the root that replaced it; chains under an expired root are not trusted.",
            obj=f"trust anchor {anchor.pk}", id="organisation.W003"))
    return found
