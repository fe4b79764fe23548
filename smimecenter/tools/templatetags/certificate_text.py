"""Template filters for certificate fields (escaping stays with Django's autoescape)."""
from __future__ import annotations

from django import template

from smimecenter.tools.text import group_hex, printable

register = template.Library()

register.filter("printable", printable)
register.filter("fingerprint", group_hex)
