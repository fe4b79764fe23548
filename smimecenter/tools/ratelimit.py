"""Per-client ceilings (diagnoses, share links) as token buckets kept in Django's default cache.

A bucket holds up to `burst` tokens and refills at `per_second`; each request takes one, and a
request that finds less than one is refused. An office behind one address gets its burst at once,
then the steady pace. With Redis (CACHE_URL) the bucket is updated by one Lua script, which Redis
runs atomically, so all app servers and workers count together; the clock is Redis's own, so the
app servers' clocks need not agree. With the per-process cache the same arithmetic runs under a
process lock (that cache is not shared with anyone else anyway).

The client is REMOTE_ADDR, which ClientAddressMiddleware sets from X-Forwarded-For behind TRUSTED_PROXIES.
"""
from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from redis.commands.core import Script
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# KEYS[1]: the bucket; ARGV: burst, tokens per second. Returns {1 when allowed else 0, seconds until
# the next token as a string}. Lua numbers are doubles, so fractions of a token are kept exactly enough.
_TAKE_SCRIPT = """
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
local wait = 0
if allowed == 0 then wait = (1 - tokens) / rate end
return {allowed, tostring(wait)}
"""
# Sent by its SHA-1 (EVALSHA), loaded into Redis again whenever Redis has forgotten it (a restart).
_TAKE = Script(None, _TAKE_SCRIPT.encode())


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int   # whole seconds until a refused client may try again (0 when allowed)


@dataclass(frozen=True)
class TokenBucket:
    name: str
    burst: int
    per_second: float

    def take(self, client: str) -> Decision:
        """Take one token for `client`. When the shared cache cannot be reached, the request is let
        through (and logged): an unreachable cache must not take the site down with it."""
        key = f"ratelimit:{self.name}:{client}"
        try:
            backend = caches["default"]   # `cache` is a proxy to it, never an instance of it
            if isinstance(backend, RedisCache):
                allowed, wait = self._take_in_redis(backend, backend.make_key(key))
            else:
                allowed, wait = self._take_in_process(key)
        except (RedisError, OSError) as problem:
            logger.warning("rate limit %s not applied: cache unavailable (%s)", self.name, type(problem).__name__)
            return Decision(True, 0)
        return Decision(allowed, 0 if allowed else max(1, math.ceil(wait)))

    def _take_in_redis(self, backend: RedisCache, key: str) -> tuple[bool, float]:
        # Django's RedisCache has no public way to run a script; its client object hands out the
        # redis-py connection it already pools (Django 5.2: RedisCacheClient.get_client).
        client = backend._cache.get_client(key, write=True)
        allowed, wait = _TAKE(keys=[key], args=[self.burst, self.per_second], client=client)
        return bool(int(allowed)), float(wait)

    def _take_in_process(self, key: str) -> tuple[bool, float]:
        with _process_lock:
            now = time.time()
            tokens, at = cache.get(key) or (self.burst, now)
            tokens = min(self.burst, tokens + max(0.0, now - at) * self.per_second)
            allowed = tokens >= 1
            if allowed:
                tokens -= 1
            cache.set(key, (tokens, now), timeout=math.ceil(self.burst / self.per_second) + 1)
            return allowed, 0.0 if allowed else (1 - tokens) / self.per_second


# The per-process cache is only this process's, so a lock makes its read-modify-write atomic.
_process_lock = threading.Lock()


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def diagnoses_bucket() -> TokenBucket | None:
    """DIAGNOSE_RATE_LIMIT_PER_MINUTE as the pace, DIAGNOSE_RATE_LIMIT_BURST at once; None when off."""
    per_minute = settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE
    if per_minute <= 0:
        return None
    burst = settings.DIAGNOSE_RATE_LIMIT_BURST or per_minute
    return TokenBucket("diagnoses", burst=burst, per_second=per_minute / 60)


def over_limit(request: HttpRequest) -> bool:
    """Count this diagnosis for its client; True when the client has no token left."""
    bucket = diagnoses_bucket()
    return bucket is not None and not bucket.take(client_address(request)).allowed


def retry_after_seconds() -> int:
    """Seconds until a client that was refused has a token again: one token's worth of the pace."""
    per_minute = settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE
    return max(1, math.ceil(60 / per_minute)) if per_minute > 0 else 1
