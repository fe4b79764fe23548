from __future__ import annotations

from pathlib import Path

from django.core.management import call_command

from smimecenter.learn.library import load_library
from smimecenter.learn.linklock import broken_links, read_lock
from tests.learn.conftest import SAMPLE, write_content


def test_the_command_writes_every_page_and_anchor(content: Path) -> None:
    call_command("lock_links")
    locked = read_lock(content / "links.lock")
    assert "/learn/why-trust-fails/" in locked
    assert "/learn/why-trust-fails/#missing-intermediate" in locked
    assert "/glossary/#csr" in locked


def test_a_removed_anchor_breaks_the_contract(tmp_path: Path) -> None:
    pages = dict(SAMPLE)
    pages["learn/why-trust-fails.md"] = pages["learn/why-trust-fails.md"].replace("{: #missing-intermediate }", "")
    pages["learn/what-is-a-csr.md"] = pages["learn/what-is-a-csr.md"].replace("#missing-intermediate", "")
    library = load_library(write_content(tmp_path, pages))
    broken = broken_links(library, ["/learn/why-trust-fails/#missing-intermediate"])
    assert broken == ["/learn/why-trust-fails/#missing-intermediate: the section #missing-intermediate is gone from /learn/why-trust-fails/"]


def test_a_renamed_page_is_covered_by_redirect_from(tmp_path: Path) -> None:
    pages = dict(SAMPLE)
    text = pages.pop("guides/thunderbird.md").replace("applies_to", 'redirect_from = ["thunderbird"]\napplies_to')
    pages["guides/thunderbird-setup.md"] = text
    library = load_library(write_content(tmp_path, pages))
    assert broken_links(library, ["/guides/thunderbird/", "/guides/thunderbird/#import"]) == []


def test_a_removed_page_without_redirect_breaks_the_contract(tmp_path: Path) -> None:
    pages = {k: v for k, v in SAMPLE.items() if k != "guides/thunderbird.md"}
    library = load_library(write_content(tmp_path, pages))
    assert broken_links(library, ["/guides/thunderbird/"]) == ["/guides/thunderbird/: the page is gone and no redirect_from covers it"]
