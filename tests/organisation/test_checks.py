"""`manage.py check` reports saved places that point nowhere, and copes with a database not migrated yet."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from smimecenter.organisation.checks import check_saved_places
from smimecenter.organisation.models import OrganisationNote, OrganisationTrustAnchor, ReadingList, ReadingListItem
from tests.diagnostics.builders import NOW, make_root
from tests.organisation.conftest import ANCHOR, ARTICLE_SLUG

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_items_and_notes_that_point_nowhere_are_reported() -> None:
    found = ReadingList.objects.create(title="ACME", slug="acme")
    ReadingListItem.objects.create(reading_list=found, page_slug=ARTICLE_SLUG, anchor=ANCHOR)
    ReadingListItem.objects.create(reading_list=found, position=2, page_slug="removed-page")
    ReadingListItem.objects.create(reading_list=found, position=3, page_slug=ARTICLE_SLUG, anchor="removed-anchor")
    OrganisationNote.objects.create(page_slug=ARTICLE_SLUG, anchor="old-heading", body="Hi")
    OrganisationNote.objects.create(page_slug=ARTICLE_SLUG, anchor=ANCHOR, body="Fine")

    messages = check_saved_places()

    assert [m.id for m in messages] == ["organisation.W001", "organisation.W001", "organisation.W002"]
    assert "item 2: The article no longer exists." in messages[0].msg
    assert "#removed-anchor no longer exists" in messages[1].msg
    assert "#old-heading" in messages[2].msg


@pytest.mark.django_db
def test_manage_py_check_fails_on_them_at_warning_level() -> None:
    ReadingListItem.objects.create(reading_list=ReadingList.objects.create(title="A", slug="a"), page_slug="gone")
    with pytest.raises(SystemCheckError, match="organisation.W001"):
        call_command("check", "--fail-level", "WARNING", "--tag", "organisation")


@pytest.mark.django_db
def test_an_expired_private_root_is_reported() -> None:
    root = make_root(not_before=NOW - dt.timedelta(days=400), not_after=NOW - dt.timedelta(days=1))
    OrganisationTrustAnchor.objects.create(pem=root.pem.decode(), note="Old root")
    assert [m.id for m in check_saved_places()] == ["organisation.W003"]


@pytest.mark.django_db
def test_nothing_is_reported_when_everything_resolves() -> None:
    found = ReadingList.objects.create(title="ACME", slug="acme")
    ReadingListItem.objects.create(reading_list=found, page_slug=ARTICLE_SLUG, anchor=ANCHOR)
    assert check_saved_places() == []


def test_check_runs_on_a_database_that_is_not_migrated(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    environment.update(DJANGO_SETTINGS_MODULE="tests.settings", SQLITE_PATH=str(tmp_path / "empty.sqlite3"))
    result = subprocess.run([sys.executable, "manage.py", "check", "--fail-level", "WARNING"], cwd=ROOT,
                            env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
