"""Token buckets: the burst, the pace, and one count across threads and processes when the cache is Redis."""
from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from smimecenter.tools.ratelimit import TokenBucket


def _allowed(bucket: TokenBucket, client: str, times: int) -> int:
    return sum(bucket.take(client).allowed for _ in range(times))


def test_a_bucket_gives_its_burst_then_refuses() -> None:
    bucket = TokenBucket("test", burst=5, per_second=0.01)
    assert _allowed(bucket, "192.0.2.1", 8) == 5
    refused = bucket.take("192.0.2.1")
    assert not refused.allowed and refused.retry_after >= 90   # one token takes 100 s at this pace


def test_a_bucket_refills_at_its_pace() -> None:
    bucket = TokenBucket("test", burst=1, per_second=20)
    assert bucket.take("192.0.2.1").allowed
    assert not bucket.take("192.0.2.1").allowed
    time.sleep(0.06)
    assert bucket.take("192.0.2.1").allowed


def test_clients_have_their_own_buckets() -> None:
    bucket = TokenBucket("test", burst=1, per_second=0.01)
    assert bucket.take("192.0.2.1").allowed
    assert bucket.take("192.0.2.2").allowed


def test_threads_of_one_process_share_the_count() -> None:
    bucket = TokenBucket("test", burst=30, per_second=0.001)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: bucket.take("192.0.2.1").allowed, range(80)))
    assert sum(results) == 30


def test_in_redis_a_bucket_gives_its_burst_then_refuses(redis_cache) -> None:
    bucket = TokenBucket("test", burst=5, per_second=0.01)
    assert _allowed(bucket, "192.0.2.1", 8) == 5
    assert bucket.take("192.0.2.1").retry_after >= 90


def test_in_redis_a_bucket_refills_at_its_pace(redis_cache) -> None:
    bucket = TokenBucket("test", burst=1, per_second=20)
    assert bucket.take("192.0.2.1").allowed
    assert not bucket.take("192.0.2.1").allowed
    time.sleep(0.06)
    assert bucket.take("192.0.2.1").allowed


def _take_in_child(url: str, times: int, results) -> None:
    # A separate process, like another gunicorn worker or app server, with its own connection.
    import os

    import django

    os.environ["CACHE_URL"] = url   # read by the settings, as on a real app server
    django.setup()
    bucket = TokenBucket("test", burst=30, per_second=0.001)
    results.put(_allowed(bucket, "192.0.2.1", times))


def test_in_redis_processes_share_one_count(redis_server) -> None:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    children = [context.Process(target=_take_in_child, args=(redis_server.url, 20, results)) for _ in range(4)]
    for child in children:
        child.start()
    counts = [results.get(timeout=60) for _ in children]
    for child in children:
        child.join(timeout=10)
    assert sum(counts) == 30      # 80 asked for across 4 processes, a burst of 30 given


def test_an_unreachable_cache_lets_requests_through(redis_cache, caplog) -> None:
    redis_cache.stop()
    bucket = TokenBucket("test", burst=1, per_second=0.01)
    assert all(bucket.take("192.0.2.1").allowed for _ in range(3))
    assert "cache unavailable" in caplog.text


def test_in_redis_buckets_work_again_after_redis_restarts(redis_cache) -> None:
    bucket = TokenBucket("test", burst=1, per_second=0.01)
    assert bucket.take("192.0.2.1").allowed
    redis_cache.stop()
    redis_cache.start()          # an empty Redis: the script must be loaded again, the bucket starts full
    results = [bucket.take("192.0.2.1").allowed for _ in range(3)]
    assert results[-1] is False  # counted again (the first attempt may meet the dropped connection)
