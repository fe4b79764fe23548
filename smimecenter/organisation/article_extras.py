"""What the organisation adds to an article page: its notes in the body, and staff tools around it."""
from __future__ import annotations

from django.http import HttpRequest

from smimecenter.learn.library import Page
from smimecenter.organisation.article_notes import notes_for, with_notes


def article_context(request: HttpRequest, page: Page, body: str) -> dict[str, object]:
    """`body` is the cached article HTML; notes are spliced in as strings, nothing is rendered again."""
    context: dict[str, object] = {"body": with_notes(body, notes_for(page.slug))}
    user = getattr(request, "user", None)
    if user is not None and user.is_staff:
        from smimecenter.organisation.forms import AddToReadingListForm
        from smimecenter.organisation.models import ReadingList

        context["reading_list_form"] = AddToReadingListForm(page=page)
        context["has_reading_lists"] = ReadingList.objects.exists()
    return context
