""""Back to your reading list" for pages reached from a link that names one (?list=<slug>)."""
from __future__ import annotations

from django import template
from django.db import DatabaseError
from django.utils.text import slugify

from smimecenter.organisation.models import ReadingList

register = template.Library()


@register.inclusion_tag("organisation/back_to_list.html")
def back_to_reading_list(slug: object) -> dict[str, object]:
    """The list named by `slug` when it exists; an unknown or malformed slug shows nothing."""
    text = str(slug or "")[:80]
    if not text or slugify(text) != text:
        return {"reading_list": None}
    try:
        return {"reading_list": ReadingList.objects.filter(slug=text).first()}
    except DatabaseError:
        return {"reading_list": None}
