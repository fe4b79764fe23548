"""The "back to your reading list" snippet that the diagnose page can show for ?list=<slug>."""
from __future__ import annotations

import pytest
from django.template import Context, Template

from smimecenter.organisation.models import ReadingList

pytestmark = pytest.mark.django_db

SNIPPET = Template("{% load organisation_lists %}{% back_to_reading_list slug %}")


def test_a_known_list_gets_a_link_back() -> None:
    ReadingList.objects.create(title="ACME <setup>", slug="acme-setup")
    html = SNIPPET.render(Context({"slug": "acme-setup"}))
    assert '<a href="/lists/acme-setup/">← Back to your reading list: ACME &lt;setup&gt;</a>' in html


@pytest.mark.parametrize("slug", ["", None, "no-such-list", "../admin", "<script>"])
def test_an_unknown_or_malformed_list_shows_nothing(slug) -> None:
    ReadingList.objects.create(title="ACME", slug="acme-setup")
    assert SNIPPET.render(Context({"slug": slug})).strip() == ""
