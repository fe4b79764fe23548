"""Flesch reading ease of the guide and troubleshooting pages, on the text a reader reads.

Not a test: run `python bench/bench_readability.py` (or `make bench`) and read the figures;
`--before REV` also scores the pages as they were at a git revision, side by side.
Target: a median of 55 or more ("fairly difficult" starts below 60, "difficult" below 50).

Reader-facing text is the page's Markdown without its front matter, code blocks, tables (they
hold commands and settings), inline code, link targets, anchor attributes, and the sections
whose `##` heading starts with "For IT admins" (technical detail is kept there on purpose).
Headings, list items and call-out titles count as sentences of their own, as a reader takes them.
Scores come from textstat, which counts syllables with the CMU Pronouncing Dictionary.
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from pathlib import Path

import textstat

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("guides", "troubleshooting")
TARGET = 55.0
ADMIN_HEADING = re.compile(r"##\s+For IT admins", re.IGNORECASE)

_FENCE = re.compile(r"^\s*(```|~~~)")
_ATTRIBUTES = re.compile(r"\s*\{:[^}]*\}")
_INLINE_CODE = re.compile(r"`[^`]*`")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"[*_]{1,3}")
_CALLOUT = re.compile(r'^!!!\s+\w+(?:\s+"([^"]*)")?\s*$')
_MARKER = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+\.\s+|>\s*)")


def reader_text(markdown: str) -> str:
    """The prose of a page, one sentence-like unit per line, as a reader meets it."""
    body = markdown.split("+++", 2)[2] if markdown.startswith("+++") else markdown
    units: list[str] = []
    in_fence = in_admin = False
    for line in body.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if line.startswith("## ") or line.startswith("# "):
            in_admin = bool(ADMIN_HEADING.match(line))
        if in_admin or line.lstrip().startswith("|"):
            continue
        callout = _CALLOUT.match(line)
        if callout:
            units.extend([callout.group(1) or "", ""])
            continue
        starts_unit = bool(_MARKER.match(line)) or not line.strip()
        text = _MARKER.sub("", line)
        text = _ATTRIBUTES.sub("", text)
        text = _INLINE_CODE.sub("", text)
        text = _LINK.sub(r"\1", text)
        text = _EMPHASIS.sub("", text).strip()
        if not text:
            units.append("")
            continue
        if starts_unit or not units or not units[-1]:
            units.append(text)
        else:
            units[-1] += " " + text
    sentences = []
    for unit in units:
        unit = unit.strip()
        if unit:
            sentences.append(unit if unit[-1] in ".!?:;" else unit + ".")
    return "\n".join(sentences)


def score(markdown: str) -> float:
    return textstat.flesch_reading_ease(reader_text(markdown))


def current_pages() -> dict[str, str]:
    return {f"{section}/{path.stem}": path.read_text(encoding="utf-8")
            for section in SECTIONS for path in sorted((ROOT / "content" / section).glob("*.md"))}


def pages_at(revision: str) -> dict[str, str]:
    pages = {}
    for section in SECTIONS:
        names = subprocess.run(["git", "ls-tree", "--name-only", f"{revision}:content/{section}"],
                               cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
        for name in names:
            if name.endswith(".md"):
                pages[f"{section}/{name[:-3]}"] = subprocess.run(
                    ["git", "show", f"{revision}:content/{section}/{name}"],
                    cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REV", help="also score the pages at this git revision")
    options = parser.parse_args()
    now = {page: score(text) for page, text in current_pages().items()}
    before = {page: score(text) for page, text in pages_at(options.before).items()} if options.before else {}
    width = max(len(page) for page in now | before)
    header = f"{'page':<{width}}  " + (f"{'before':>7}  " if before else "") + f"{'now':>7}"
    print("Flesch reading ease, reader-facing text (higher is easier)")
    print(header)
    for page in sorted(now | before):
        was = f"{before[page]:>7.1f}  " if page in before else ("      -  " if before else "")
        is_now = f"{now[page]:>7.1f}" if page in now else "      -"
        print(f"{page:<{width}}  {was}{is_now}")
    median_now = statistics.median(now.values())
    if before:
        print(f"{'median':<{width}}  {statistics.median(before.values()):>7.1f}  {median_now:>7.1f}")
    else:
        print(f"{'median':<{width}}  {median_now:>7.1f}")
    print(f"target: median {TARGET:.0f} or more -> {'met' if median_now >= TARGET else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
