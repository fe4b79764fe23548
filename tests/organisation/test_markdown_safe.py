"""Admins' Markdown: formatted by Python-Markdown, cleaned by nh3, and never slow or failing on odd input."""
from __future__ import annotations

import time

from smimecenter.organisation.markdown_safe import MAX_MARKUP_OPENERS, render_safe_markdown


def test_a_note_keeps_its_formatting_lists_and_links() -> None:
    html = render_safe_markdown("At **ACME**:\n\n- ask [PKI](https://pki.acme.example)\n- then `wait`\n")
    assert html == ('<p>At <strong>ACME</strong>:</p>\n<ul>\n<li>ask <a href="https://pki.acme.example" '
                    'rel="noopener noreferrer">PKI</a></li>\n<li>then <code>wait</code></li>\n</ul>')


def test_a_note_full_of_brackets_is_shown_as_plain_text_at_once() -> None:
    text = "[a" * 4000 + "\n\n<b>second</b> paragraph"
    start = time.perf_counter()
    html = render_safe_markdown(text)
    assert time.perf_counter() - start < 1.0
    assert html.startswith("<p>[a[a[a") and html.endswith("<p>&lt;b&gt;second&lt;/b&gt; paragraph</p>")


def test_a_few_brackets_are_still_markdown() -> None:
    text = "[x](https://x.example) " + "[" * (MAX_MARKUP_OPENERS - 1)
    assert '<a href="https://x.example" rel="noopener noreferrer">x</a>' in render_safe_markdown(text)


def test_lists_nested_thousands_deep_do_not_fail() -> None:
    html = render_safe_markdown("- " * 3000 + "deep")
    assert html.startswith("<p>- - - ") and html.endswith("deep</p>")
