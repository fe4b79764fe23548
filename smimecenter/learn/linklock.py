"""The link contract: every public page URL and heading anchor, kept in ``content/links.lock``.

Admins paste these links into wikis and tickets. A test reads the lock file and
fails when one of them stops resolving, unless a ``redirect_from`` covers the
page. ``manage.py lock_links`` rewrites the file after an intended change.
"""
from __future__ import annotations

from pathlib import Path

from smimecenter.learn.frontmatter import SECTIONS
from smimecenter.learn.library import Library

LOCK_FILE = "links.lock"
HEADER = (
    "# Public links of SMIME Center: page URLs and heading anchors that must keep working.\n"
    "# Regenerate with `make lock-links` (manage.py lock_links) after an intended change.\n"
)


def current_links(library: Library) -> list[str]:
    links = ["/", "/glossary/", *[f"/{name}/" for name in SECTIONS]]
    links += [f"/glossary/#{anchor}" for anchor in library.glossary.anchors]
    for page in library.pages.values():
        links.append(page.url)
        links += [f"{page.url}#{anchor}" for anchor in page.rendered.anchors]
    return sorted(set(links))


def read_lock(path: Path) -> list[str]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def write_lock(path: Path, library: Library) -> int:
    links = current_links(library)
    path.write_text(HEADER + "\n".join(links) + "\n", encoding="utf-8")
    return len(links)


def broken_links(library: Library, locked: list[str]) -> list[str]:
    """Locked links that no longer resolve, each with the reason."""
    broken = []
    for link in locked:
        path, _, anchor = link.partition("#")
        target = library.resolve(path)
        if target is None:
            broken.append(f"{link}: the page is gone and no redirect_from covers it")
            continue
        anchors = library.anchors_of(target) or set()
        if anchor and anchor not in anchors:
            broken.append(f"{link}: the section #{anchor} is gone from {target}")
    return broken
