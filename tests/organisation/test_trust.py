"""Private roots added in the admin are trust stores the engine uses, named the way reports should say it."""
from __future__ import annotations

from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from smimecenter.diagnostics import diagnose
from smimecenter.organisation.models import Organisation, OrganisationTrustAnchor
from smimecenter.organisation.sharing import create_share
from smimecenter.organisation.trust import organisation_trust_stores, trust_snapshot
from tests.diagnostics.builders import make_chain

pytestmark = pytest.mark.django_db


def test_a_chain_under_a_private_root_is_trusted_by_the_organisations_root() -> None:
    Organisation.objects.create(name="ACME")
    chain = make_chain(email="alice@acme.example")
    OrganisationTrustAnchor.objects.create(pem=chain.root.pem.decode())

    report = diagnose([chain.supplied_pem], email="alice@acme.example", trust=organisation_trust_stores()).to_dict()

    assert report["trust"]["trusted"] is True
    assert report["trust"]["store"] == "ACME's root"
    assert "trusted for email by ACME's root" in report["summary"]


def test_the_note_names_the_root_when_given() -> None:
    chain = make_chain()
    OrganisationTrustAnchor.objects.create(pem=chain.root.pem.decode(), note="ACME Staff Root 2025")
    assert [store.name for store in organisation_trust_stores()] == ["ACME Staff Root 2025"]


def test_without_an_organisation_name_the_root_still_has_a_readable_name() -> None:
    OrganisationTrustAnchor.objects.create(pem=make_chain().root.pem.decode())
    assert [store.name for store in organisation_trust_stores()] == ["your organisation's root"]


def test_the_stores_are_cached_until_a_root_or_the_name_changes(django_assert_num_queries) -> None:
    OrganisationTrustAnchor.objects.create(pem=make_chain().root.pem.decode())
    first = organisation_trust_stores()
    with django_assert_num_queries(0):
        assert organisation_trust_stores() == first
    OrganisationTrustAnchor.objects.create(pem=make_chain().root.pem.decode(), note="Second")
    assert len(organisation_trust_stores()) == 2
    Organisation.objects.create(name="ACME")
    assert organisation_trust_stores()[0].name == "ACME's root"
    OrganisationTrustAnchor.objects.all().delete()
    assert organisation_trust_stores() == []


def test_an_unmigrated_database_means_no_private_roots(monkeypatch) -> None:
    from django.db import OperationalError

    def no_table():
        raise OperationalError("no such table: organisation_organisationtrustanchor")

    monkeypatch.setattr(trust_snapshot, "loader", no_table)
    assert organisation_trust_stores() == []


def test_a_shared_result_is_checked_with_the_organisations_roots(client: Client) -> None:
    Organisation.objects.create(name="ACME")
    chain = make_chain(email="alice@acme.example")
    OrganisationTrustAnchor.objects.create(pem=chain.root.pem.decode())
    share, _ = create_share([chain.leaf.der, chain.intermediate.der], "alice@acme.example", timezone.now())
    body = unescape(client.get(f"/share/{share.token}/").content.decode())
    # The share shows the full result; a private root trusts only where it is installed (issue 11).
    assert "Trusted on devices that have this root installed (ACME's root)" in body
    assert 'data-state="works"' in body


def test_a_root_added_here_is_used_at_once_and_another_servers_within_a_second(monkeypatch) -> None:
    from django.core.cache import cache

    from smimecenter.organisation import snapshots

    now = [5000.0]
    monkeypatch.setattr(snapshots.time, "monotonic", lambda: now[0])
    assert trust_snapshot.recheck_seconds == snapshots.RECHECK_SECONDS == 1.0
    assert organisation_trust_stores() == []
    first, second = make_chain(), make_chain()
    OrganisationTrustAnchor.objects.create(pem=first.root.pem.decode())   # saved here: used at once
    assert len(organisation_trust_stores()) == 1

    # Another server adds a root: the row is there and the shared generation moves; this process's copy
    # is not dropped (what invalidate() does here is only what it does there).
    key = "organisation:snapshot:trust-anchors"
    with monkeypatch.context() as elsewhere:
        elsewhere.setattr(trust_snapshot, "invalidate", lambda: cache.set(key, (cache.get(key) or 0) + 1, timeout=None))
        OrganisationTrustAnchor.objects.create(pem=second.root.pem.decode())
    now[0] += 0.5
    assert len(organisation_trust_stores()) == 1    # not asked again within the second
    now[0] += 0.6
    assert len(organisation_trust_stores()) == 2    # asked, and the new root is used
