"""The staff page that builds a prefilled link to the certificate check."""
from __future__ import annotations

from html import unescape

import pytest

from smimecenter.organisation.models import ReadingList

pytestmark = pytest.mark.django_db


def test_staff_build_a_link_with_an_address_and_a_reading_list(staff_client) -> None:
    ReadingList.objects.create(title="ACME setup", slug="acme-setup")
    body = staff_client.get("/organisation/diagnose-link/",
                            {"email": "alice+smime@acme.example", "reading_list": "acme-setup"}).content.decode()
    assert ('value="http://127.0.0.1:8000/tools/diagnose/?email=alice%2Bsmime%40acme.example&list=acme-setup"'
            in unescape(body).replace("&amp;", "&"))


def test_the_link_needs_neither_field(staff_client) -> None:
    body = staff_client.get("/organisation/diagnose-link/", {"email": "", "reading_list": ""}).content.decode()
    assert 'value="http://127.0.0.1:8000/tools/diagnose/"' in body


def test_a_malformed_address_is_explained(staff_client) -> None:
    body = staff_client.get("/organisation/diagnose-link/", {"email": "not an address"}).content.decode()
    assert "Enter a valid email address" in body and "/tools/diagnose/?" not in body


def test_the_link_builder_is_for_staff_only(client) -> None:
    response = client.get("/organisation/diagnose-link/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_reading_list_admin_links_to_the_builder_for_that_list(staff_client) -> None:
    reading_list = ReadingList.objects.create(title="ACME setup", slug="acme-setup")
    body = staff_client.get(f"/admin/organisation/readinglist/{reading_list.pk}/change/").content.decode()
    assert 'href="/organisation/diagnose-link/?reading_list=acme-setup"' in body
