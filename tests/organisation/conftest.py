"""Shared set-up: snapshots start empty in every test, and a few real places in the real content."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from smimecenter.learn import current
from smimecenter.organisation.signals import invalidate_all

# Sections that the engine's findings link to, so they are kept by the link contract.
ARTICLE_SLUG = "why-trust-fails"
ARTICLE_URL = "/learn/why-trust-fails/"
ANCHOR = "missing-intermediate"
OTHER_ANCHOR = "untrusted-root"


@pytest.fixture(autouse=True)
def _fresh_snapshots() -> Iterator[None]:
    # A test's transaction is rolled back without signals, so cached configuration is dropped around each test.
    current.reset()
    cache.clear()
    invalidate_all()
    yield
    invalidate_all()
    cache.clear()


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client
