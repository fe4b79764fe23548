"""Shell commands shown on the expert pages: wrapped only between words, never inside an option."""
from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# A word longer than this (a long file name, a base64 blob) may break anywhere rather than overflow.
UNBREAKABLE_UP_TO = 32


@register.filter
def shell_command(text: object) -> SafeString:
    """One block per line, each word kept whole: a phone wraps `-certpbe PBE-SHA1-3DES` between the
    two words, not at a hyphen. The text (and what is copied) is unchanged."""
    lines = []
    for line in str(text or "").splitlines():
        words = [f'<span class="cmd-word">{escape(word)}</span>' if len(word) <= UNBREAKABLE_UP_TO else escape(word)
                 for word in line.split(" ")]
        lines.append(f'<span class="cmd-line">{" ".join(words)}</span>')
    return mark_safe("\n".join(lines))
