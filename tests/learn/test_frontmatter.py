"""Front matter is read by a few regular expressions when its lines are plain, and always as tomllib reads it."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from smimecenter.learn import frontmatter
from smimecenter.learn.frontmatter import FrontMatterError, _plain_toml


def tomllib_or_none(block: str) -> dict | None:
    try:
        return tomllib.loads(block)
    except tomllib.TOMLDecodeError:
        return None


@pytest.mark.parametrize("path", sorted(Path(settings.CONTENT_DIR).glob("*/*.md")), ids=lambda p: p.stem)
def test_every_real_page_reads_as_tomllib_reads_it(path: Path) -> None:
    block, _ = frontmatter.split(path.read_text(encoding="utf-8"))
    plain = _plain_toml(block)
    # Only a text with a backslash escape needs tomllib.
    assert plain == tomllib.loads(block) or (plain is None and "\\" in block)


@pytest.mark.parametrize("block", [
    'title = "a"\ntitle = "b"\n',                       # a key twice
    'sources = []\n[[sources]]\ntitle = "x"\n',          # a list, then tables of the same name
    'updated = 2026-02-30\n',                           # no such day
    'title = "tab\tinside"\n',                          # fine for both
    'title = "a" # comment with "quotes"\n',
    'related = ["a", "b",]\n',
    'order = 007\n',
    'order = -3\n',
    'title = "C:\\\\path"\n',                           # an escape: tomllib's work
    "title = 'literal'\n",
    'updated = 2026-01-01T10:00:00\n',
    '[sources]\ntitle = "x"\n',
    'title = "a"\r\nsummary = "b"\r\n',
    'related = [\n  "a",\n]\n',
])
def test_anything_unusual_reads_as_tomllib_reads_it(block: str) -> None:
    plain = _plain_toml(block)
    assert plain is None or plain == tomllib.loads(block)


def test_an_error_is_still_reported_by_tomllib() -> None:
    with pytest.raises(FrontMatterError, match="not valid TOML"):
        frontmatter.parse('title = "a"\ntitle = "b"\n')


_TEXTS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
_SCALARS = st.one_of(
    _TEXTS.map(lambda t: '"' + t + '"'),
    st.integers(min_value=-10**6, max_value=10**6).map(str),
    st.sampled_from(["2026-11-28", "2026-02-29", "1999-12-31", "0000-01-01", "2026-13-01", "007", "+1", "true"]),
    st.lists(_TEXTS.map(lambda t: '"' + t + '"'), max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
)
_LINES = st.one_of(
    st.tuples(st.sampled_from(["title", "url", "order", "related", "sources", "a-b", "x y", "é"]),
              st.sampled_from([" = ", "=", " =\t"]), _SCALARS, st.sampled_from(["", "  # note", " #"]))
    .map("".join),
    st.sampled_from(["", "# comment", "[[sources]]", "  [[ sources ]]  ", "[sources]", "[[other]]", "  "]),
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=8))
def test_generated_blocks_read_as_tomllib_reads_them(lines: list[str]) -> None:
    block = "\n".join(lines) + "\n"
    plain = _plain_toml(block)
    if plain is not None:
        assert plain == tomllib_or_none(block)
