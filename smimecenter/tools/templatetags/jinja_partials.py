"""Show a partial written for the result page's Jinja2 engine on a Django template page too, so that a
part both kinds of page show (the carried-files fields, the mail-app table) has one source."""
from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja_partial(context: template.Context, name: str, **values: object) -> SafeString:
    """{% jinja_partial "tools/_carried.jinja" fields=carried.fields %}: rendered with this page's values
    and these; Jinja2 escapes them itself."""
    return mark_safe(render_to_string(name, {**context.flatten(), **values}, context.get("request"),
                                      using="jinja2"))
