"""The renderer's own rules: call-outs, heading ids, glossary links, escaping, and what it collects."""
from __future__ import annotations

from smimecenter.learn.rendering import GlossaryTerm, TermMatcher, render, slugify

TERMS = TermMatcher([
    GlossaryTerm("csr", "CSR", ("CSR", "certificate signing request"), 'A "request" for a <certificate> & more.'),
    GlossaryTerm("root-store", "Root store", ("root store", "root stores"), "The roots a program trusts."),
])


def test_a_call_out_keeps_its_classes_and_its_body_is_markdown() -> None:
    html = render('Before.\n\n!!! warning "Check `openssl` first"\n    Run **this**:\n\n        code\n\nAfter.\n').html
    assert '<div class="admonition warning">\n<p class="admonition-title">Check <code>openssl</code> first</p>' in html
    assert "<p>Run <strong>this</strong>:</p>\n<pre><code>code\n</code></pre>\n</div>" in html
    assert html.endswith("<p>After.</p>\n")


def test_a_call_out_without_a_title_is_titled_by_its_kind() -> None:
    assert '<p class="admonition-title">Note</p>\n<p>Body</p>' in render("!!! note\n    Body\n").html


def test_a_call_out_inside_fenced_code_stays_code() -> None:
    html = render('```\n!!! note "Not a call-out"\n    text\n```\n').html
    assert "admonition" not in html and "!!! note &quot;Not a call-out&quot;" in html


def test_pinned_ids_win_and_other_headings_get_unique_ids() -> None:
    rendered = render("## Setup\n\n## Other {: #setup }\n\n## Setup\n\n### Café & “quotes” `<x>`\n\n## ???\n")
    assert [(h.level, h.anchor, h.text) for h in rendered.headings] == [
        (2, "setup_1", "Setup"), (2, "setup", "Other"), (2, "setup_2", "Setup"),
        (3, "cafe-quotes-x", "Café & “quotes” <x>"), (2, "_1", "???"),
    ]
    assert '<h2 id="setup">Other<a class="section-link" href="#setup"' in rendered.html
    assert "{:" not in rendered.html


def test_slugify_is_the_published_rule() -> None:
    assert slugify("Step 2: import the .p12 file") == "step-2-import-the-p12-file"
    assert slugify("  Outlook (new) -- on Mac ") == "outlook-new-on-mac"
    assert slugify("Déjà vu") == "deja-vu"


def test_headings_inside_call_outs_get_ids_but_are_not_sections() -> None:
    rendered = render('## Top\n\n!!! note "N"\n    ### Inside\n\n    Text\n')
    assert [h.anchor for h in rendered.headings] == ["top"]
    assert '<h3 id="inside">Inside</h3>' in rendered.html


def test_text_is_escaped_once() -> None:
    html = render('Use <b>bold</b>? No: 1 < 2 & "quotes" and `a && b`.\n\n<script>alert(1)</script>\n', terms=TERMS).html
    assert "1 &lt; 2 &amp; &quot;quotes&quot;" in html and "<code>a &amp;&amp; b</code>" in html
    assert "&amp;amp;" not in html and "<script>" not in html


def test_the_first_use_of_a_term_is_linked_with_an_escaped_definition() -> None:
    rendered = render(
        "## A CSR here {: #here }\n\nSend a `CSR`, a [CSR](/x/), then a CSR & a root store, and a CSR again.\n",
        terms=TERMS,
    )
    html = rendered.html
    link = ('<button type="button" class="term" popovertarget="gloss-csr">CSR</button>'
            '<span class="term-definition" id="gloss-csr" popover><strong>CSR</strong> A &quot;request&quot; for a '
            '&lt;certificate&gt; &amp; more. <a href="/glossary/#csr">In the glossary</a></span>')
    assert html.count('class="term"') == 2 and html.count(link) == 1
    assert "<code>CSR</code>" in html and '<a href="/x/">CSR</a>' in html
    assert f"then a {link} &amp; a " in html
    # Term links point at glossary ids by construction: only the page's own links are collected for checks.
    assert rendered.links == ["/x/"]


def test_a_term_is_found_next_to_escaped_characters() -> None:
    html = render('R&D uses a "root store".\n', terms=TERMS).html
    assert 'R&amp;D uses a &quot;<button type="button" class="term" popovertarget="gloss-root-store">root store' in html
    assert "In the glossary</a></span>&quot;." in html


def test_sections_words_and_links() -> None:
    rendered = render(
        "Intro with [a link](/learn/x/?a=1&b=2).\n\n## First {: #first }\n\n- one **bold**word\n- two\n\n"
        "| A | B |\n|---|---|\n| cell | other |\n\n```sh\nopenssl x509 -in a.pem\n```\n"
    )
    assert [(s.anchor, s.heading, s.text) for s in rendered.sections] == [
        ("", "", "Intro with a link."),
        ("first", "First", "one boldword two A B cell other openssl x509 -in a.pem"),
    ]
    assert rendered.links == ["/learn/x/?a=1&b=2"]
    assert rendered.words == 4 + 1 + 12


def test_a_paragraph_starting_with_a_number_sign_is_not_a_heading() -> None:
    assert "<h1" not in render("In issue\n#19495, a developer found it.\n").html
