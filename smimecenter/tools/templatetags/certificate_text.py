"""Template filters for certificate fields (escaping stays with Django's autoescape)."""
from __future__ import annotations

from django import template

from smimecenter.diagnostics.wording import counted, duration, sentence_case
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
