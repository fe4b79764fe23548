"""Images in the articles: every one exists under static/ and has alt text; every diagram is accessible SVG.

The diagrams are drawn 360 units wide. On a 390 px phone the article column is about 351 px wide, so a
diagram is shown at 351/360 of its size; its smallest text must still be 12 px there.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

STATIC_DIR = Path(settings.BASE_DIR) / "static"
DIAGRAM_DIR = STATIC_DIR / "img" / "diagrams"
CONTENT_FILES = sorted(Path(settings.BASE_DIR, "content").glob("*/*.md"))
SVG = "{http://www.w3.org/2000/svg}"
PHONE_COLUMN_PX = 351   # 390 px viewport minus the page's 1.2rem side padding on each side
SMALLEST_TEXT_PX = 12

_FENCED_CODE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1", re.MULTILINE | re.DOTALL)
_MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)")
_FONT_SIZE = re.compile(r"font-size\s*:\s*([\d.]+)px")


class _ImageTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            found = dict(attrs)
            self.images.append((found.get("src") or "", (found.get("alt") or "").strip()))


def images_in(markdown: str) -> list[tuple[str, str]]:
    """(src, alt) of every image in a page: raw HTML <img> tags and Markdown ![alt](src), code left out."""
    text = _FENCED_CODE.sub("", markdown)
    parser = _ImageTags()
    parser.feed(text)
    return parser.images + [(src, alt.strip()) for alt, src in _MARKDOWN_IMAGE.findall(text)]


def image_problems(markdown: str, static_dir: Path = STATIC_DIR) -> list[str]:
    problems = []
    for src, alt in images_in(markdown):
        if not src.startswith("/static/"):
            problems.append(f"{src}: not a file of the site's own static/")
        elif not (static_dir / src.removeprefix("/static/")).is_file():
            problems.append(f"{src}: no such file under static/")
        if not alt:
            problems.append(f"{src}: no alt text")
    return problems


def svg_problems(path: Path) -> list[str]:
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as error:
        return [f"not well-formed XML: {error}"]
    problems = []
    if root.tag != f"{SVG}svg":
        problems.append("the root element is not an SVG <svg>")
    if root.get("role") != "img":
        problems.append('no role="img"')
    title = root.find(f"{SVG}title")
    if title is None or not (title.text or "").strip():
        problems.append("no <title>")
    desc = root.find(f"{SVG}desc")
    if desc is None or not (desc.text or "").strip():
        problems.append("no <desc>")
    if any(True for _ in root.iter(f"{SVG}script")):
        problems.append("contains a script")
    styles = " ".join(style.text or "" for style in root.iter(f"{SVG}style"))
    if "prefers-color-scheme: dark" not in styles:
        problems.append("no dark-mode style")
    if not any(True for _ in root.iter(f"{SVG}text")):
        problems.append("no <text>: words must be real SVG text")
    view_box = (root.get("viewBox") or "").split()
    if len(view_box) != 4:
        problems.append("no viewBox")
    else:
        scale = min(1.0, PHONE_COLUMN_PX / float(view_box[2]))
        sizes = [float(size) for size in _FONT_SIZE.findall(styles)]
        sizes += [float(text.get("font-size")) for text in root.iter(f"{SVG}text") if text.get("font-size")]
        if not sizes:
            problems.append("no font size set")
        elif min(sizes) * scale < SMALLEST_TEXT_PX:
            problems.append(f"text of {min(sizes):g} units is {min(sizes) * scale:.1f} px on a phone")
    return problems


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_every_image_in_the_content_exists_and_has_alt_text(path: Path) -> None:
    assert image_problems(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", sorted(DIAGRAM_DIR.glob("*.svg")), ids=lambda path: path.name)
def test_every_diagram_is_accessible_svg(path: Path) -> None:
    assert svg_problems(path) == []


def test_there_are_at_least_six_diagrams_and_each_is_used_by_an_article() -> None:
    used = {src for path in CONTENT_FILES for src, _ in images_in(path.read_text(encoding="utf-8"))}
    diagrams = {f"/static/img/diagrams/{path.name}" for path in DIAGRAM_DIR.glob("*.svg")}
    assert len(diagrams) >= 6
    assert diagrams <= used


def test_a_missing_image_or_missing_alt_text_is_reported() -> None:
    markdown = (
        'Text.\n\n<figure class="diagram"><img src="/static/img/diagrams/nowhere.svg" alt="A picture">'
        "<figcaption>Caption</figcaption></figure>\n\n"
        '<img src="/static/img/diagrams/lifecycle.svg" alt="  ">\n\n'
        "![](/static/img/favicon.svg)\n"
    )
    assert image_problems(markdown) == [
        "/static/img/diagrams/nowhere.svg: no such file under static/",
        "/static/img/diagrams/lifecycle.svg: no alt text",
        "/static/img/favicon.svg: no alt text",
    ]


def test_images_shown_only_as_code_are_not_checked() -> None:
    markdown = "```html\n<img src=\"/static/nowhere.png\">\n```\n\nSee ![the icon](/static/img/favicon.svg).\n"
    assert image_problems(markdown) == []


def test_a_remote_image_is_reported() -> None:
    assert image_problems('<img src="https://example.com/a.png" alt="A">') == [
        "https://example.com/a.png: not a file of the site's own static/",
    ]


def test_an_svg_without_title_dark_mode_or_readable_text_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.svg"
    bad.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 100">'
        "<style>text { font-size: 14px; }</style><script>alert(1)</script>"
        '<text x="0" y="20">Hello</text></svg>',
        encoding="utf-8",
    )
    assert svg_problems(bad) == [
        'no role="img"',
        "no <title>",
        "no <desc>",
        "contains a script",
        "no dark-mode style",
        "text of 14 units is 6.8 px on a phone",
    ]


def test_an_svg_that_is_not_xml_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.svg"
    broken.write_text('<svg xmlns="http://www.w3.org/2000/svg"><title>T</title>', encoding="utf-8")
    assert svg_problems(broken)[0].startswith("not well-formed XML")
