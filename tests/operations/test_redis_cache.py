"""The shared cache keeps one redis-py client per connection pool (operations/redis_cache.py) and still
behaves as Django's Redis cache: values round-trip, threads share it, and it recovers when Redis restarts."""
from __future__ import annotations

import threading

from django.core.cache import caches
from redis.exceptions import ConnectionError as RedisConnectionError

from smimecenter.operations.redis_cache import SharedClientRedisCache


def test_every_call_uses_the_same_client(redis_cache) -> None:
    backend = caches["default"]
    assert isinstance(backend, SharedClientRedisCache)
    first = backend._cache.get_client("a", write=True)
    assert backend._cache.get_client("b", write=False) is first


def test_values_round_trip_with_expiry_and_deletion(redis_cache) -> None:
    cache = caches["default"]
    cache.set("report", {"verdict": "works", "codes": ["chain.trusted"]}, timeout=60)
    assert cache.get("report") == {"verdict": "works", "codes": ["chain.trusted"]}
    assert cache.add("report", "other") is False
    cache.delete("report")
    assert cache.get("report", "gone") == "gone"


def test_threads_share_the_client_without_mixing_answers(redis_cache) -> None:
    cache = caches["default"]
    wrong: list[tuple[int, object]] = []

    def work(n: int) -> None:
        for i in range(50):
            cache.set(f"t{n}:{i}", (n, i), timeout=60)
            got = cache.get(f"t{n}:{i}")
            if got != (n, i):
                wrong.append((n, got))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


def test_the_shared_client_works_again_after_redis_restarts(redis_cache) -> None:
    cache = caches["default"]
    cache.set("before", 1, timeout=60)
    redis_cache.stop()
    try:
        cache.get("before")
    except (RedisConnectionError, OSError):
        pass
    redis_cache.start()
    cache.set("after", 2, timeout=60)
    assert cache.get("after") == 2
