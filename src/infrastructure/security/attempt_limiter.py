"""Attempt limits on the `limits` library's moving window, counted in memory or in Redis."""

import asyncio
import hashlib
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError

from application.ports import AttemptRule
from infrastructure.settings import RateLimitSettings

if TYPE_CHECKING:
    from redis.asyncio import ConnectionPool

logger = logging.getLogger("tasklane.rate_limits")

MEMORY_SCHEMES = ("memory",)
REDIS_SCHEMES = ("redis", "rediss")
# After a storage failure, count locally this long before asking the storage again, so
# an outage costs one timeout now and then rather than one per request.
COOL_DOWN_S = 5.0

# Asks one limiter about one (item, identifiers): the seconds to wait, 0 for none.
Question = Callable[[MovingWindowRateLimiter, RateLimitItem, tuple[str, ...]], Awaitable[int]]


class LimitsAttemptLimiter:
    """One moving window per (rule, key), in the storage ``settings.storage_url`` names
    (``memory://`` for this process only, ``redis://...`` shared by every process).

    Keys are hashed (no e-mail or address is stored) and namespaced by ``prefix``. A
    Redis call that fails or outlasts ``storage_timeout_s`` is counted in this process's
    memory instead, with a WARNING: during an outage the limits hold per process, nobody
    is locked out, and no request waits longer than that for Redis.
    """

    def __init__(self, settings: RateLimitSettings) -> None:
        self._items = {rule: parse(text) for rule, text in settings.rules().items()}
        self._prefix = settings.prefix
        self._timeout_s = settings.storage_timeout_s
        self._down_until = 0.0
        self._pool: ConnectionPool | None = None
        self._fallback: MovingWindowRateLimiter | None = None
        url = settings.storage_url.removeprefix("async+")
        scheme = urlsplit(url).scheme
        if scheme in MEMORY_SCHEMES:
            self._shared = MovingWindowRateLimiter(MemoryStorage())
        elif scheme in REDIS_SCHEMES:
            # Imported only here: redis-py (and the OpenTelemetry parts it loads when they
            # are installed) is about 9 MiB of a process that counts in memory.
            import redis.asyncio

            # Our own pool, so that close() can release it; redis-py is the client.
            self._pool = redis.asyncio.ConnectionPool.from_url(
                url, socket_timeout=self._timeout_s, socket_connect_timeout=self._timeout_s
            )
            options: dict[str, Any] = {"connection_pool": self._pool}
            storage = RedisStorage(
                f"async+{url}", wrap_exceptions=True, implementation="redispy", **options
            )
            self._shared = MovingWindowRateLimiter(storage)
            self._fallback = MovingWindowRateLimiter(MemoryStorage())
        else:
            raise ValueError(f"unsupported rate-limit storage {settings.storage_url!r}")

    async def hit(self, rule: AttemptRule, key: str) -> int:
        return await self._ask(_hit, rule, key)

    async def peek(self, rule: AttemptRule, key: str) -> int:
        return await self._ask(_wait, rule, key)

    async def close(self) -> None:
        """Release the Redis connections, if any."""
        if self._pool is not None:
            await self._pool.aclose()

    async def _ask(self, how: Question, rule: AttemptRule, key: str) -> int:
        item = self._items[rule]
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        identifiers = (self._prefix, rule.value, digest)
        if self._fallback is None:
            return await how(self._shared, item, identifiers)
        if time.monotonic() >= self._down_until:
            try:
                async with asyncio.timeout(self._timeout_s):
                    return await how(self._shared, item, identifiers)
            except (StorageError, TimeoutError, OSError) as error:
                self._down_until = time.monotonic() + COOL_DOWN_S
                logger.warning(
                    "rate-limit storage failed (%s); counting in this process for %.0f s",
                    _describe(error),
                    COOL_DOWN_S,
                )
        return await how(self._fallback, item, identifiers)


async def _hit(limiter: MovingWindowRateLimiter, item: RateLimitItem, ids: tuple[str, ...]) -> int:
    if await limiter.hit(item, *ids):
        return 0
    return await _wait(limiter, item, ids)


async def _wait(limiter: MovingWindowRateLimiter, item: RateLimitItem, ids: tuple[str, ...]) -> int:
    """Seconds until the oldest attempt in a full window leaves it; 0 when not full."""
    stats = await limiter.get_window_stats(item, *ids)
    if stats.remaining > 0:
        return 0
    return max(1, math.ceil(stats.reset_time - time.time()))


def _describe(error: Exception) -> str:
    cause = error.storage_error if isinstance(error, StorageError) else error
    return f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
