"""Counts, durations and sentence case in plain English: the one helper every page and report uses.

"1 warning", "35 days", "in 1.4 s": never "warning(s)" or "1.3752 s". No Django here, so the engine,
the command line and the templates (through tools/templatetags) share it.
"""
from __future__ import annotations

__all__ = ["counted", "duration", "lower_first", "sentence_case"]

# Nouns of this site whose plural is not "+s".
_IRREGULAR = {"entry": "entries", "authority": "authorities", "policy": "policies", "address": "addresses",
              "day": "days", "key": "keys", "match": "matches"}


def plural(noun: str) -> str:
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def counted(number: int, noun: str, plural_form: str | None = None) -> str:
    """"1 warning", "2 warnings", "0 warnings"; numbers from 1,000 up are grouped ("1,024 days")."""
    word = noun if number == 1 else (plural_form or plural(noun))
    return f"{number:,} {word}"


def duration(seconds: float) -> str:
    """A measured time as a person reads it: "0.4 s", "1.4 s", "12 s", "2 min 5 s"."""
    if seconds < 0.1:
        return "under 0.1 s"
    if seconds < 10:
        return f"{max(seconds, 0.0):.1f} s"
    if seconds < 60:
        return f"{round(seconds)} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def sentence_case(text: str) -> str:
    """Upper-case the first letter, unless the text starts with an address (its local part is kept
    as written, RFC 5321 section 2.4) or with a name that is already mixed case ("iOS", "eIDAS")."""
    text = text.strip()
    first_word = text.split(" ", 1)[0] if text else ""
    if not text or "@" in first_word or any(c.isupper() for c in first_word[1:]):
        return text
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """For a sentence placed after a colon: "A certificate has expired" -> "a certificate has expired",
    while names and acronyms ("S/MIME", "OCSP", "iOS") keep their case."""
    first_word = text.split(" ", 1)[0] if text else ""
    if len(first_word) > 1 and any(c.isupper() for c in first_word[1:]):
        return text
    return text[:1].lower() + text[1:]
