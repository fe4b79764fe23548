"""Our Python-Markdown extensions: each rule with a case that triggers it and one that must not."""
from __future__ import annotations

import xml.etree.ElementTree as etree
from pathlib import Path

import pytest

from smimecenter.learn import glossary_terms, rendering
from smimecenter.learn.html_output import serialize
from smimecenter.learn.library import load_library
from smimecenter.learn.rendering import GlossaryTerm, TermMatcher, render, render_many
from tests.learn.conftest import SAMPLE, page, write_content

TERMS = TermMatcher([
    GlossaryTerm("csr", "CSR", ("CSR",), "A request."),
    GlossaryTerm("root-store", "Root store", ("root store",), "Trusted roots."),
    GlossaryTerm("smime", "S/MIME", ("S/MIME", "MIME"), "Signed mail."),
])


def test_a_call_out_of_any_kind_keeps_its_kind_as_a_class() -> None:
    html = render('!!! unverified "Not verified"\n    Nobody has checked this.\n').html
    assert '<div class="admonition unverified">\n<p class="admonition-title">Not verified</p>' in html
    assert "<p>Nobody has checked this.</p>" in html


def test_a_call_out_with_an_empty_title_has_no_title() -> None:
    html = render('!!! tip ""\n    Just the body.\n').html
    assert "admonition-title" not in html and '<div class="admonition tip">' in html


def test_a_line_of_three_marks_inside_text_is_not_a_call_out() -> None:
    assert "admonition" not in render("Say !!! note loudly.\n").html


def test_only_top_level_section_headings_get_a_section_link() -> None:
    html = render('## Top\n\n#### Deep\n\n!!! note "N"\n    ## Inside\n').html
    assert html.count('class="section-link"') == 1
    assert '<h4 id="deep">Deep</h4>' in html and '<h2 id="inside">Inside</h2>' in html


def test_the_section_link_label_is_escaped() -> None:
    html = render('## Say "hi" & 1 < 2\n').html
    assert '<h2 id="say-hi-1-2">Say &quot;hi&quot; &amp; 1 &lt; 2<a class="section-link" href="#say-hi-1-2"' in html
    assert 'aria-label="Link to this section: Say &quot;hi&quot; &amp; 1 &lt; 2"' in html


def test_a_heading_needs_a_space_after_its_marks() -> None:
    assert "<h2" not in render("##Tight\n").html
    assert '<h2 id="spaced">Spaced' in render("## Spaced\n").html


def test_an_attribute_list_pins_an_id_and_adds_a_class() -> None:
    rendered = render("## Wide {: #wide .full }\n\nText\n")
    assert '<h2 id="wide" class="full">Wide<a class="section-link"' in rendered.html
    assert [h.anchor for h in rendered.headings] == ["wide"]


def test_a_term_is_not_linked_inside_raw_kbd_abbr_or_links_but_is_after_them() -> None:
    html = render('<kbd>CSR</kbd>, <abbr title="x">CSR</abbr>, <a href="/x/">CSR</a> and a CSR.\n', terms=TERMS).html
    assert html.count('class="term"') == 1
    assert '<kbd>CSR</kbd>, <abbr title="x">CSR</abbr>, <a href="/x/">CSR</a> and a <button type="button" class="term"' in html


def test_a_term_is_not_linked_in_a_code_block_but_in_the_table_after_it() -> None:
    html = render("```\nCSR\n```\n\n    CSR\n\n| Name |\n|---|\n| a CSR |\n", terms=TERMS).html
    assert "<pre><code>CSR\n</code></pre>" in html
    assert '<td>a <button type="button" class="term" popovertarget="gloss-csr">CSR</button>' in html


def test_a_term_is_not_found_inside_a_longer_word_or_after_a_slash() -> None:
    html = render("CSRs and S/MIME and MIME-types.\n", terms=TERMS).html
    assert '<button type="button" class="term" popovertarget="gloss-smime">S/MIME</button>' in html
    assert '<strong>S/MIME</strong> Signed mail. <a href="/glossary/#smime">In the glossary</a>' in html
    assert "CSRs" in html and "#csr" not in html
    assert html.count('class="term"') == 1


def test_several_terms_in_one_text_are_each_linked_once() -> None:
    html = render("A CSR, a root store, a CSR, a root store.\n", terms=TERMS).html
    assert html.count('href="/glossary/#csr"') == 1 and html.count('href="/glossary/#root-store"') == 1
    assert html.endswith("In the glossary</a></span>, a CSR, a root store.</p>\n")


def test_every_term_link_comes_from_term_link(monkeypatch: pytest.MonkeyPatch) -> None:
    def as_button(term: GlossaryTerm, text: str, base_url: str) -> etree.Element:
        element = etree.Element("button", {"class": "term", "data-term": term.id})
        element.text = text
        return element

    monkeypatch.setattr(glossary_terms, "term_link", as_button)
    assert '<button class="term" data-term="csr">CSR</button>' in render("A CSR.\n", terms=TERMS).html


def test_links_and_image_sources_are_collected_from_markdown_and_raw_html() -> None:
    rendered = render(
        '[a](/learn/a/) ![chain](/static/img/diagrams/chain.svg "Chain")\n\n'
        '<figure><img src="/static/img/diagrams/p12.svg" alt="p12"><figcaption>See <a href="/learn/b/">b</a>'
        "</figcaption></figure>\n"
    )
    assert rendered.links == ["/learn/a/", "/static/img/diagrams/chain.svg", "/static/img/diagrams/p12.svg", "/learn/b/"]
    assert rendered.sections[0].text == "a See b"


def test_a_link_to_a_missing_static_file_is_a_problem_and_an_existing_one_is_not(tmp_path: Path) -> None:
    (tmp_path / "static" / "img").mkdir(parents=True)
    (tmp_path / "static" / "img" / "here.svg").write_text("<svg/>")
    body = "![here](/static/img/here.svg) ![gone](/static/img/gone.svg) [up](/static/../manage.py)"
    library = load_library(write_content(tmp_path / "content", {**SAMPLE, "guides/x.md": page("X", "guides", body)}))
    problems = [str(p) for p in library.problems]
    assert any("'/static/img/gone.svg' points to a static file that does not exist" in p for p in problems)
    assert any("'/static/../manage.py'" in p for p in problems)
    assert not any("here.svg" in p for p in problems)


def test_raw_script_and_style_are_written_as_text_but_other_raw_html_is_kept() -> None:
    html = render('<div class="wide">kept</div>\n\n<style>body{}</style>\n\nA <script>x()</script> <b>b</b>\n').html
    assert '<div class="wide">kept</div>' in html and "<b>b</b>" in html
    assert "<style" not in html and "<script" not in html and "&lt;script>" in html


def test_the_serializer_keeps_attribute_order_escapes_quotes_and_closes_no_void_element() -> None:
    root = etree.Element("div")
    link = etree.SubElement(root, "a", {"title": 'say "x" & <y>', "href": "/a?b=1&c=2"})
    link.text, link.tail = '"quoted"', " & after"
    etree.SubElement(root, "br").tail = "end"
    assert serialize(root) == ('<div><a title="say &quot;x&quot; &amp; &lt;y&gt;" href="/a?b=1&amp;c=2">'
                               "&quot;quoted&quot;</a> &amp; after<br>end</div>")


def test_the_serializer_handles_very_deep_nesting() -> None:
    root = element = etree.Element("div")
    for _ in range(5000):
        element = etree.SubElement(element, "blockquote")
    html = serialize(root)
    assert html.count("<blockquote>") == 5000 and html.endswith("</blockquote></div>")


def test_pages_rendered_in_a_process_pool_equal_pages_rendered_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [f"## Part {n}\n\nA CSR and a root store, number {n}.\n" for n in range(6)]
    monkeypatch.setattr(rendering, "POOL_FROM", 2)
    pooled = render_many(texts, terms=TERMS)
    assert pooled == [render(text, terms=TERMS) for text in texts]
    assert 'href="/glossary/#csr"' in pooled[5].html


def test_a_first_load_with_many_pages_uses_the_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from smimecenter.learn import library as library_module

    content = write_content(tmp_path, SAMPLE)
    serial = load_library(content)
    monkeypatch.setattr(rendering, "POOL_FROM", 2)

    def no_serial_rendering(*args, **kwargs):
        raise AssertionError("rendered one by one")

    monkeypatch.setattr(library_module, "render", no_serial_rendering)
    pooled = load_library(content)
    assert {slug: p.rendered for slug, p in pooled.pages.items()} == {slug: p.rendered for slug, p in serial.pages.items()}
