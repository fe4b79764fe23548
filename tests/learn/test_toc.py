"""The table of contents numbers sections only; steps (###) sit under their section, unnumbered."""
from __future__ import annotations

import re

from django.test import Client

from smimecenter.learn import current
from smimecenter.learn.rendering import Heading
from smimecenter.learn.toc import nested


def test_level_three_headings_nest_under_the_section_before_them():
    entries = nested([Heading(2, "a", "A"), Heading(3, "a1", "A1"), Heading(3, "a2", "A2"), Heading(2, "b", "B")])
    assert [(e.heading.anchor, [c.anchor for c in e.children]) for e in entries] == [("a", ["a1", "a2"]), ("b", [])]


def test_a_step_before_any_section_stands_on_its_own():
    assert [e.heading.anchor for e in nested([Heading(3, "x", "X"), Heading(2, "a", "A")])] == ["x", "a"]


def test_a_real_guide_numbers_only_its_sections(client: Client):
    current.reset()
    page = next(page for page in current.library().pages.values()
                if any(h.level == 3 for h in page.rendered.headings))
    html = client.get(page.url).content.decode()
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
    top_level = re.sub(r"<ul>.*?</ul>", "", toc, flags=re.S)
    assert top_level.count("<li>") == sum(h.level == 2 for h in page.rendered.headings)
    assert toc.count("<ul>") >= 1
