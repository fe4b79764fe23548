"""The site's frame around a result is rendered once (tools/result_frame.py) and reads exactly as the template
would render it for each result: title, address and content in place, escaped, the organisation's header current."""
from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils.safestring import mark_safe

from smimecenter.learn import rendered_pages
from smimecenter.organisation.models import Organisation
from smimecenter.tools import result_frame

HEADLINE = 'Trusted <b>"everywhere"</b> & more'
CONTENT = mark_safe('<div class="wrap">the result</div>')


def page(path: str = "/tools/diagnose/result/abc/", headline: str = HEADLINE) -> str:
    return result_frame.framed(RequestFactory().get(path), headline, CONTENT)


@pytest.fixture(autouse=True)
def fresh_frame(settings):
    settings.DEBUG = False
    rendered_pages.pages.clear()
    yield
    rendered_pages.pages.clear()


@pytest.mark.django_db
def test_the_kept_frame_gives_the_page_the_template_gives(settings):
    kept = page()
    assert page() == kept   # from the kept frame this time
    settings.DEBUG = True   # rendered by the template, every time
    assert page() == kept


@pytest.mark.django_db
def test_title_address_and_content_are_in_place_and_escaped():
    html = page(path="/tools/diagnose/result/a&b/", headline=HEADLINE)
    assert "<title>Trusted &lt;b&gt;&quot;everywhere&quot;&lt;/b&gt; &amp; more: certificate check result" in html
    assert html.count("/tools/diagnose/result/a&amp;b/") == 2     # og:url and the canonical link
    assert '<div class="wrap">the result</div>' in html
    assert "result-frame-" not in html
    other = page(path="/tools/diagnose/result/other/", headline="Does not work")
    assert "<title>Does not work:" in other and "/result/other/" in other and "/result/a&amp;b/" not in other


@pytest.mark.django_db
def test_the_organisations_header_shows_at_once_when_it_changes():
    assert "ACME Mail" not in page()
    Organisation.objects.create(name="ACME Mail")   # saved here: the header snapshot is a new one
    assert "ACME Mail · SMIME Center" in page()


@pytest.mark.django_db
def test_a_changed_setting_renders_the_frame_again(settings):
    settings.SITE_URL = "https://one.example"
    assert 'href="https://one.example/tools/diagnose/result/abc/"' in page()
    settings.SITE_URL = "https://two.example"
    assert 'href="https://two.example/tools/diagnose/result/abc/"' in page()
