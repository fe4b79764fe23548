"""What the certificate check is for when a troubleshooting page sent the person (?from=<slug>)."""
from __future__ import annotations

from django import template

from smimecenter.learn import current

register = template.Library()


@register.inclusion_tag("learn/came_from.html")
def came_from_troubleshooting(slug: object) -> dict[str, object]:
    """The troubleshooting page named by `slug`; anything else, however written, shows nothing.

    The value is only ever a dictionary key, so what a link carries is never echoed back as is.
    """
    text = str(slug or "")[:100]
    if not text:
        return {"page": None}  # the plain check page never waits for the library to load
    page = current.library().pages.get(text)
    if page is None or page.section != "troubleshooting":
        return {"page": None}
    return {"page": page}
