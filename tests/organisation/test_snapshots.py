"""Snapshots of the organisation's settings: how soon a change saved on another app server is seen."""
from __future__ import annotations

import pytest
from django.core.cache import cache

from smimecenter.organisation import snapshots
from smimecenter.organisation.snapshots import Snapshot


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    found = Clock()
    monkeypatch.setattr(snapshots.time, "monotonic", found)
    return found


def _counting_snapshot(name: str, **options: float) -> tuple[Snapshot[int], list[int]]:
    loads: list[int] = []

    def load() -> int:
        loads.append(1)
        return len(loads)

    return Snapshot(name, load, 0, **options), loads


def _changed_on_another_server(snapshot: Snapshot) -> None:
    """What invalidate() does on another app server: only the shared generation moves."""
    cache.set(f"organisation:snapshot:{snapshot.name}", cache.get(f"organisation:snapshot:{snapshot.name}", 0) + 1)


def test_a_page_snapshot_sees_another_servers_change_within_its_recheck_time(clock: Clock) -> None:
    snapshot, loads = _counting_snapshot("test-page", recheck_seconds=1.0)
    assert snapshot.get() == 1
    _changed_on_another_server(snapshot)
    clock.now += 0.5
    assert snapshot.get() == 1 and len(loads) == 1        # not asked again yet
    clock.now += 0.6
    assert snapshot.get() == 2


def test_a_page_snapshot_does_not_ask_the_shared_cache_within_its_recheck_time(clock: Clock, monkeypatch) -> None:
    snapshot, _ = _counting_snapshot("test-quiet", recheck_seconds=1.0)
    snapshot.get()
    asked: list[str] = []
    monkeypatch.setattr(snapshots.cache, "get", lambda key, default=None: asked.append(key) or default)
    for _ in range(100):
        snapshot.get()
    assert asked == []
    clock.now += 1.5
    snapshot.get()
    assert len(asked) == 1


def test_a_change_saved_in_this_process_is_seen_at_once(clock: Clock) -> None:
    snapshot, _ = _counting_snapshot("test-local", recheck_seconds=1.0)
    assert snapshot.get() == 1
    snapshot.invalidate()
    assert snapshot.get() == 2


def test_a_snapshot_without_recheck_time_sees_another_servers_change_on_the_next_use(clock: Clock) -> None:
    snapshot, _ = _counting_snapshot("test-trust")
    assert snapshot.get() == 1
    _changed_on_another_server(snapshot)
    assert snapshot.get() == 2


def test_an_unchanged_snapshot_is_loaded_again_after_its_maximum_age(clock: Clock) -> None:
    snapshot, _ = _counting_snapshot("test-age", recheck_seconds=1.0)
    assert snapshot.get() == 1
    clock.now += snapshots.MAX_AGE_SECONDS + 1
    assert snapshot.get() == 2
