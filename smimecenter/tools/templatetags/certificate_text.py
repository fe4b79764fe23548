"""Template filters for certificate fields (escaping stays with Django's autoescape)."""
from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from smimecenter.diagnostics.wording import counted, duration, sentence_case
from smimecenter.tools.scripts import is_mixed_script, scripts_in, unicode_form
from smimecenter.tools.text import friendly_name, group_hex, printable, usage_words

register = template.Library()

register.filter("printable", printable)
register.filter("fingerprint", group_hex)
register.filter("duration", duration)
register.filter("friendly_name", friendly_name)
register.filter("usage_words", usage_words)
register.filter("sentence_case", sentence_case)


@register.filter
def counted_as(number: object, nouns: str) -> str:
    """{{ n|counted_as:"warning" }} or {{ n|counted_as:"person,people" }}: "1 warning", "2 warnings"."""
    singular, _, plural_form = nouns.partition(",")
    return counted(int(number or 0), singular, plural_form or None)


@register.filter
def address(value: object) -> SafeString:
    """An email address made printable, with a warning when its letters mix scripts (UTS #39 5.1).

    Every page that shows an address uses this filter, so a look-alike address never goes unremarked.
    """
    text = "" if value is None else str(value)
    readable = unicode_form(text)  # a punycode domain (xn--...) is judged by what it reads as
    if not is_mixed_script(readable):
        return format_html("{}", printable(text))
    reads_as = format_html(", which reads {}", printable(readable)) if readable != text else ""
    return format_html('{} <strong class="mixed-script">(careful: this address{} mixes {} letters, which can '
                       'look alike; check it letter by letter)</strong>', printable(text), reads_as,
                       " and ".join(scripts_in(readable)))
