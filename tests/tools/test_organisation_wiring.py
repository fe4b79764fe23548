"""The diagnose page and the API use the organisation's own setup: its roots, share links, reading lists."""
from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from smimecenter.organisation.models import Organisation, OrganisationTrustAnchor, ReadingList
from smimecenter.organisation.signals import invalidate_all
from tests.diagnostics.builders import make_chain, pem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_configuration():
    invalidate_all()
    cache.clear()
    yield
    invalidate_all()


def test_the_page_trusts_a_root_added_in_the_admin(client: Client) -> None:
    Organisation.objects.create(name="ACME")
    chain = make_chain(email="alice@acme.example")
    OrganisationTrustAnchor.objects.create(pem=chain.root.pem.decode())
    response = client.post("/tools/diagnose/", follow=True, data={"text": pem(chain.leaf, chain.intermediate).decode()})
    assert response.status_code == 200
    assert "ACME&#x27;s root" in response.content.decode() or "ACME's root" in response.content.decode()


def test_the_api_trusts_a_root_added_in_the_admin(client: Client) -> None:
    Organisation.objects.create(name="ACME")
    chain = make_chain(email="alice@acme.example")
    OrganisationTrustAnchor.objects.create(pem=chain.root.pem.decode())
    report = client.post("/api/v1/diagnose", {"text": pem(chain.leaf, chain.intermediate).decode()}).json()
    assert report["trust"]["trusted"] is True
    assert report["trust"]["store"] == "ACME's root"


def test_the_result_page_offers_a_share_link_and_says_what_is_stored(client: Client) -> None:
    chain = make_chain()
    html = client.post("/tools/diagnose/", follow=True, data={"text": pem(chain.leaf, chain.intermediate).decode()}).content.decode()
    assert 'action="/share/"' in html
    assert "private key" in html.lower()


def test_a_reading_list_named_in_the_link_is_offered_on_the_form_and_the_result(client: Client) -> None:
    ReadingList.objects.create(title="New staff", slug="new-staff", introduction="Start here.")
    form = client.get("/tools/diagnose/", {"list": "new-staff"}).content.decode()
    assert "Back to your reading list: New staff" in form
    assert '<input type="hidden" name="list" value="new-staff">' in form
    chain = make_chain()
    result = client.post("/tools/diagnose/", follow=True, data={"text": chain.supplied_pem.decode(), "list": "new-staff"}).content.decode()
    assert "Back to your reading list: New staff" in result


def test_the_pkcs12_inspector_trusts_a_root_added_in_the_admin(client: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.diagnostics.builders import pkcs12_bytes

    Organisation.objects.create(name="ACME")
    chain = make_chain(email="alice@acme.example")
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, extra=[chain.intermediate], password=b"pw")
    upload = {"file": SimpleUploadedFile("alice.p12", data), "password": "pw"}
    before = client.post("/tools/pkcs12/", upload, follow=True).content.decode()
    # The file holds the leaf and its intermediate: what is missing is the organisation's root, not the file's.
    assert "chain.private_root_not_supplied" in before and "pkcs12.chain_incomplete" not in before
    OrganisationTrustAnchor.objects.create(pem=chain.root.pem.decode())
    invalidate_all()
    upload = {"file": SimpleUploadedFile("alice.p12", data), "password": "pw"}
    after = client.post("/tools/pkcs12/", upload, follow=True).content.decode()
    assert "chain.private_root_not_supplied" not in after and "pkcs12.chain_incomplete" not in after
    assert "complete (it reaches a root in the file or a root we know)" in after
