from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """Each test starts with an empty per-client count (every test client shares one address)."""
    cache.clear()
    yield
    cache.clear()
