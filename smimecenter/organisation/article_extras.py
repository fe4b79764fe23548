"""What the organisation adds to an article page: its notes in the body, and staff tools around it."""
from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from smimecenter.learn.library import Page
from smimecenter.organisation.article_notes import notes_for, with_notes


def article_context(request: HttpRequest, page: Page, body: str) -> dict[str, object]:
    """`body` is the cached article HTML; notes are spliced in as strings, nothing is rendered again."""
    context: dict[str, object] = {"body": with_notes(body, notes_for(page.slug))}
    if _is_staff(request):
        from smimecenter.organisation.forms import AddToReadingListForm
        from smimecenter.organisation.models import ReadingList

        context["reading_list_form"] = AddToReadingListForm(page=page)
        context["has_reading_lists"] = ReadingList.objects.exists()
    return context


def _is_staff(request: HttpRequest) -> bool:
    # Staff are signed in, so they carry a session cookie; for everyone else, looking at the cookies
    # is enough, and saves loading an anonymous user on every article a reader opens.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_staff)
