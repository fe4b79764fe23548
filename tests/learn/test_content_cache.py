from __future__ import annotations

from pathlib import Path

from smimecenter.learn.content_cache import ContentCache
from smimecenter.learn.library import load_library
from tests.learn.conftest import SAMPLE, write_content


def test_a_second_load_reads_rendered_pages_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    content = write_content(tmp_path / "content", SAMPLE)
    cache = ContentCache(tmp_path / "cache")
    first = load_library(content, cache=cache)

    from smimecenter.learn import library as library_module

    def fail(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(library_module, "render", fail)
    second = load_library(content, cache=cache)
    assert second.pages["why-trust-fails"].rendered == first.pages["why-trust-fails"].rendered


def test_a_changed_glossary_shows_in_cached_pages(tmp_path: Path) -> None:
    content = write_content(tmp_path / "content", SAMPLE)
    cache = ContentCache(tmp_path / "cache")
    load_library(content, cache=cache)
    glossary = content / "glossary.toml"
    glossary.write_text(glossary.read_text().replace("A request for a certificate.", "A new definition."))
    html = load_library(content, cache=cache).pages["what-is-a-csr"].rendered.html
    assert 'A new definition. <a href="/glossary/#csr">In the glossary</a>' in html


def test_a_corrupt_entry_is_ignored_and_rewritten(tmp_path: Path) -> None:
    content = write_content(tmp_path / "content", SAMPLE)
    cache = ContentCache(tmp_path / "cache")
    load_library(content, cache=cache)
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_text("{not json")
    assert load_library(content, cache=cache).pages["why-trust-fails"].rendered.anchors == {"missing-intermediate", "untrusted-root"}


def test_an_unwritable_cache_is_skipped(tmp_path: Path) -> None:
    content = write_content(tmp_path / "content", SAMPLE)
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert load_library(content, cache=ContentCache(blocker / "cache")).problems == []
