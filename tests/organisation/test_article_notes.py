"""Organisation notes in articles: in the right section, clearly marked, spliced into the cached body."""
from __future__ import annotations

import pytest
from django.test import Client

from smimecenter.learn import current, rendering
from smimecenter.organisation.article_notes import with_notes
from smimecenter.organisation.models import Organisation, OrganisationNote
from tests.organisation.conftest import ANCHOR, ARTICLE_SLUG, ARTICLE_URL, OTHER_ANCHOR

pytestmark = pytest.mark.django_db


def _section(body: str, anchor: str) -> str:
    """The HTML from a heading to the next h2."""
    start = body.index(f'id="{anchor}"')
    end = body.find("<h2", start + 1)
    return body[start:end if end > 0 else None]


def test_a_note_appears_right_under_its_sections_heading_marked_as_the_organisations(client: Client) -> None:
    Organisation.objects.create(name="ACME")
    OrganisationNote.objects.create(page_slug=ARTICLE_SLUG, anchor=ANCHOR,
                                    body="At ACME, request your certificate at https://pki.acme.example")
    body = client.get(ARTICLE_URL).content.decode()
    section = _section(body, ANCHOR)
    heading_end = section.index("</h2>") + len("</h2>")
    assert section[heading_end:].startswith('<aside class="org-note" aria-label="Note from ACME">')
    assert "Note from ACME</strong> · written by your organisation, not part of SMIME Center's guide" in section
    assert "At ACME, request your certificate" in section
    assert "request your certificate" not in _section(body, OTHER_ANCHOR)


def test_a_note_without_a_section_goes_at_the_top_of_the_article(client: Client) -> None:
    OrganisationNote.objects.create(page_slug=ARTICLE_SLUG, body="Read this before calling the help desk.")
    body = client.get(ARTICLE_URL).content.decode()
    assert '<div class="prose"><aside class="org-note"' in body
    assert "Note from your organisation" in body


def test_a_note_whose_section_is_gone_is_not_shown_anywhere(client: Client) -> None:
    OrganisationNote.objects.create(page_slug=ARTICLE_SLUG, anchor="removed-heading", body="Stale words")
    assert "Stale words" not in client.get(ARTICLE_URL).content.decode()


def test_notes_are_sanitised(client: Client) -> None:
    OrganisationNote.objects.create(page_slug=ARTICLE_SLUG, anchor=ANCHOR,
                                    body='Hi <script>alert(1)</script><a href="javascript:alert(2)">x</a>')
    body = client.get(ARTICLE_URL).content.decode()
    assert "alert(" not in _section(body, ANCHOR)


def test_serving_an_article_with_notes_renders_no_markdown(client: Client, monkeypatch, django_assert_num_queries) -> None:
    OrganisationNote.objects.create(page_slug=ARTICLE_SLUG, anchor=ANCHOR, body="**Cached** note")
    client.get(ARTICLE_URL)   # loads the library, the article body and the notes once

    def no_rendering(*args, **kwargs):
        raise AssertionError("Markdown rendered while serving a page")

    monkeypatch.setattr(rendering, "render", no_rendering)
    monkeypatch.setattr("smimecenter.organisation.markdown_safe.markdown.markdown", no_rendering)
    with django_assert_num_queries(0):
        body = client.get(ARTICLE_URL).content.decode()
    assert "<strong>Cached</strong> note" in body


def test_the_cached_article_body_is_left_unchanged() -> None:
    OrganisationNote.objects.create(page_slug=ARTICLE_SLUG, anchor=ANCHOR, body="Note")
    page = current.library().pages[ARTICLE_SLUG]
    cached = current.article_body(page)
    Client().get(ARTICLE_URL)
    assert current.article_body(page) is cached and "org-note" not in cached


def test_splicing_handles_h3_sections_and_several_notes() -> None:
    body = '<div class="prose"><h2 id="a">A<a class="section-link" href="#a">#</a></h2><p>x</p><h3 id="b">B</h3><p>y</p></div>'
    result = with_notes(body, {"a": ["<aside>1</aside>", "<aside>2</aside>"], "b": ["<aside>3</aside>"],
                               "": ["<aside>0</aside>"]})
    assert result == ('<div class="prose"><aside>0</aside><h2 id="a">A<a class="section-link" href="#a">#</a></h2>'
                      '<aside>1</aside><aside>2</aside><p>x</p><h3 id="b">B</h3><aside>3</aside><p>y</p></div>')


def test_every_section_has_a_visible_labelled_copy_link(client: Client) -> None:
    body = client.get(ARTICLE_URL).content.decode()
    page = current.library().pages[ARTICLE_SLUG]
    for heading in page.rendered.headings:
        assert f'href="#{heading.anchor}"' in _section(body, heading.anchor)
    assert 'aria-label="Link to this section: ' in body
    assert "/static/organisation/organisation.css" in body
    css = client.get("/static/organisation/organisation.css")
    text = b"".join(css.streaming_content if css.streaming else [css.content]).decode()
    assert '.prose .section-link:not(.copied)::after { content: " link to this section"; }' in text
    assert ".prose .section-link { opacity: 1;" in text


def test_a_heading_with_a_class_still_gets_its_note() -> None:
    body = '<div class="prose"><h2 class="wide" id="a">A</h2><p>x</p></div>'
    assert with_notes(body, {"a": ["<aside>1</aside>"]}) == '<div class="prose"><h2 class="wide" id="a">A</h2><aside>1</aside><p>x</p></div>'
