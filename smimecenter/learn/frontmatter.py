"""Front matter of a content page: a TOML block between two ``+++`` lines.

TOML rather than YAML: the standard library reads it (``tomllib``), dates are
real dates, and there are no surprising implicit types.

``tomllib`` is written in Python and takes about 0.2 ms for a page's block,
a large part of a start from the disk cache. The plain lines front matter
is made of (``key = "text"``, a whole number, a date, a one-line list of
texts, ``[[sources]]``) are read by a few regular expressions instead; any
other line, and any block that would be an error, goes to ``tomllib``, so
the result is always what ``tomllib`` gives.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from typing import Any

DELIMITER = "+++"

REQUIRED_KEYS = frozenset({"title", "summary", "section", "updated", "sources"})
OPTIONAL_KEYS = frozenset({"order", "related", "redirect_from", "audience", "applies_to", "check_for",
                           "error_messages"})
SECTIONS = ("learn", "guides", "troubleshooting")


class FrontMatterError(ValueError):
    """The block is missing, malformed or holds values of the wrong kind."""


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class FrontMatter:
    title: str
    summary: str
    section: str
    updated: date
    sources: tuple[Source, ...]
    order: int | None = None
    related: tuple[str, ...] = ()
    redirect_from: tuple[str, ...] = ()
    audience: str = ""
    applies_to: str = ""
    # Troubleshooting pages: what the certificate check looks for when reached from the page.
    check_for: str = ""
    # Troubleshooting pages: error texts the page quotes, word for word, besides any quoted in its title; a
    # person who pastes one into the certificate check is sent to this page.
    error_messages: tuple[str, ...] = ()


def split(text: str) -> tuple[str, str]:
    """Return (front matter text, Markdown body)."""
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != DELIMITER:
        raise FrontMatterError("the file must start with a front-matter block opened by '+++'")
    for index in range(1, len(lines)):
        if lines[index].strip() == DELIMITER:
            return "".join(lines[1:index]), "".join(lines[index + 1 :])
    raise FrontMatterError("the front-matter block is never closed by a second '+++' line")


# A TOML basic string without escapes; TOML forbids control characters other than tab in strings and comments.
_TEXT = r'"[^"\\\x00-\x08\x0a-\x1f\x7f]*"'
_COMMENT = r"(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?"
_KEY_VALUE = re.compile(
    r"[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*"
    rf"(?:({_TEXT})|(0|[+-]?[1-9][0-9]*)|([0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}})"
    rf"|\[((?:[ \t]*{_TEXT}[ \t]*,)*[ \t]*(?:{_TEXT}[ \t]*)?)\])"
    rf"[ \t]*{_COMMENT}"
)
_TABLE_ARRAY = re.compile(rf"[ \t]*\[\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\]\][ \t]*{_COMMENT}")
_NOTHING = re.compile(rf"[ \t]*{_COMMENT}")
_ITEM = re.compile(_TEXT)


def _plain_toml(block: str) -> dict[str, Any] | None:
    """The block read as ``tomllib`` would, when it has only plain lines; None otherwise."""
    if "\r" in block:
        return None
    data: dict[str, Any] = {}
    table = data
    arrays: set[str] = set()        # names declared by [[name]]
    for line in block.split("\n"):
        found = _KEY_VALUE.fullmatch(line)
        if found:
            key, text, number, day, items = found.groups()
            if key in table:
                return None
            if text is not None:
                table[key] = text[1:-1]
            elif number is not None:
                table[key] = int(number)
            elif day is not None:
                try:
                    table[key] = date.fromisoformat(day)
                except ValueError:
                    return None
            else:
                table[key] = [item[1:-1] for item in _ITEM.findall(items)]
            continue
        found = _TABLE_ARRAY.fullmatch(line)
        if found:
            name = found.group(1)
            if name in data and name not in arrays:
                return None
            arrays.add(name)
            table = {}
            data.setdefault(name, []).append(table)
            continue
        if not _NOTHING.fullmatch(line):
            return None
    return data


def parse(block: str) -> FrontMatter:
    try:
        data = _plain_toml(block)
        if data is None:
            data = tomllib.loads(block)
    except tomllib.TOMLDecodeError as exc:
        raise FrontMatterError(f"front matter is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - REQUIRED_KEYS - OPTIONAL_KEYS)
    if unknown:
        raise FrontMatterError(f"unknown front-matter key(s): {', '.join(unknown)}")
    missing = sorted(REQUIRED_KEYS - set(data))
    if missing:
        raise FrontMatterError(f"missing front-matter key(s): {', '.join(missing)}")
    return FrontMatter(
        title=_text(data, "title"),
        summary=_text(data, "summary"),
        section=_choice(data, "section", SECTIONS),
        updated=_date(data, "updated"),
        sources=_sources(data.get("sources")),
        order=_optional_int(data, "order"),
        related=_slugs(data, "related"),
        redirect_from=_slugs(data, "redirect_from"),
        audience=_text(data, "audience", required=False),
        applies_to=_text(data, "applies_to", required=False),
        check_for=_text(data, "check_for", required=False),
        error_messages=_strings(data, "error_messages"),
    )


def _strings(data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise FrontMatterError(f"'{key}' must be a list of non-empty strings")
    return tuple(item.strip() for item in value)


def _text(data: dict[str, Any], key: str, *, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise FrontMatterError(f"'{key}' must be a string")
    value = value.strip()
    if required and not value:
        raise FrontMatterError(f"'{key}' must not be empty")
    return value


def _choice(data: dict[str, Any], key: str, choices: tuple[str, ...]) -> str:
    value = _text(data, key)
    if value not in choices:
        raise FrontMatterError(f"'{key}' must be one of {', '.join(choices)}, not {value!r}")
    return value


def _date(data: dict[str, Any], key: str) -> date:
    value = data.get(key)
    # tomllib gives a datetime for "2026-01-01T10:00:00"; only a plain date is allowed.
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise FrontMatterError(f"'{key}' must be a date written like 2026-11-28 (no quotes)")
    return value


def _optional_int(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise FrontMatterError(f"'{key}' must be a whole number")
    return value


def _slugs(data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise FrontMatterError(f"'{key}' must be a list of page slugs")
    return tuple(item.strip() for item in value)


def _sources(value: Any) -> tuple[Source, ...]:
    if not isinstance(value, list) or not value:
        raise FrontMatterError("'sources' must list at least one source ([[sources]] with title and url)")
    sources = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict) or set(item) != {"title", "url"}:
            raise FrontMatterError(f"source {number} must have exactly a 'title' and a 'url'")
        title, url = item["title"], item["url"]
        if not isinstance(title, str) or not title.strip():
            raise FrontMatterError(f"source {number} has an empty title")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise FrontMatterError(f"source {number} must have an http(s) URL")
        sources.append(Source(title=title.strip(), url=url.strip()))
    return tuple(sources)
