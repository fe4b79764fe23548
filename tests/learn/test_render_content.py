"""manage.py render_content: every page rendered into the disk cache before the first request."""
from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from smimecenter.learn import library as library_module
from smimecenter.learn.content_cache import ContentCache
from smimecenter.learn.library import load_library


def test_it_fills_the_cache_so_that_a_start_renders_nothing(content: Path, settings, monkeypatch) -> None:
    settings.CONTENT_CACHE_DIR = content / "cache"
    out = StringIO()
    call_command("render_content", stdout=out)
    assert "4 pages and 2 glossary entries ready" in out.getvalue() and "(6 rendered, 0 already there)" in out.getvalue()

    def fail(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(library_module, "render", fail)
    assert len(load_library(settings.CONTENT_DIR, cache=ContentCache(settings.CONTENT_CACHE_DIR)).pages) == 4
    out = StringIO()
    call_command("render_content", stdout=out)
    assert "(0 rendered, 6 already there)" in out.getvalue()


def test_it_refuses_when_the_cache_is_turned_off(content: Path, settings) -> None:
    settings.CONTENT_CACHE_DIR = None
    with pytest.raises(CommandError, match="CONTENT_CACHE_DIR is empty"):
        call_command("render_content", stdout=StringIO())


def test_it_says_when_the_cache_cannot_be_written(content: Path, settings) -> None:
    blocker = content / "file"
    blocker.write_text("not a directory")
    settings.CONTENT_CACHE_DIR = blocker / "cache"
    with pytest.raises(CommandError, match="could not write"):
        call_command("render_content", stdout=StringIO())


def test_it_fails_on_content_problems_after_rendering_the_rest(content: Path, settings) -> None:
    settings.CONTENT_CACHE_DIR = content / "cache"
    (settings.CONTENT_DIR / "guides" / "broken.md").write_text("no front matter\n")
    err = StringIO()
    with pytest.raises(CommandError, match="1 content problem"):
        call_command("render_content", stdout=StringIO(), stderr=err)
    assert "broken.md" in err.getvalue() and (content / "cache" / "page.json").is_file()
