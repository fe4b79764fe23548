"""Template filters for certificate fields (escaping stays with Django's autoescape)."""
from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from smimecenter.tools.scripts import is_mixed_script, scripts_in
from smimecenter.tools.text import group_hex, printable

register = template.Library()

register.filter("printable", printable)
register.filter("fingerprint", group_hex)


@register.filter
def address(value: object) -> SafeString:
    """An email address made printable, with a warning when its letters mix scripts (UTS #39 5.1).

    Every page that shows an address uses this filter, so a look-alike address never goes unremarked.
    """
    text = "" if value is None else str(value)
    if not is_mixed_script(text):
        return format_html("{}", printable(text))
    return format_html('{} <strong class="mixed-script">(careful: this address mixes {} letters, which can '
                       'look alike; check it letter by letter)</strong>', printable(text),
                       " and ".join(scripts_in(text)))
