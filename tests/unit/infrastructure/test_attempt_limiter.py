"""The limits adapter: moving windows in memory or Redis, and what a Redis outage does."""

import asyncio
import logging
import socket
import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from application.ports import AttemptRule
from infrastructure.security import LimitsAttemptLimiter
from infrastructure.settings import RateLimitSettings

pytestmark = pytest.mark.asyncio

RULE = AttemptRule.LOGIN_FAILURES_PER_ACCOUNT
THREE_PER_SECOND = RateLimitSettings(login_per_account="3/second", storage_timeout_s=0.3)


async def test_counts_up_to_the_limit_then_says_how_long_to_wait() -> None:
    limiter = LimitsAttemptLimiter(THREE_PER_SECOND)
    assert [await limiter.hit(RULE, "ann") for _ in range(3)] == [0, 0, 0]
    assert await limiter.hit(RULE, "ann") == 1
    assert await limiter.peek(RULE, "ann") == 1
    # Other keys and other rules count apart.
    assert await limiter.hit(RULE, "bob") == 0
    assert await limiter.hit(AttemptRule.LOGIN_PER_ADDRESS, "ann") == 0
    await asyncio.sleep(1.05)
    assert await limiter.peek(RULE, "ann") == 0
    assert await limiter.hit(RULE, "ann") == 0


async def test_peeking_counts_nothing() -> None:
    limiter = LimitsAttemptLimiter(THREE_PER_SECOND)
    assert [await limiter.peek(RULE, "ann") for _ in range(5)] == [0] * 5
    assert [await limiter.hit(RULE, "ann") for _ in range(3)] == [0, 0, 0]


async def test_the_wait_is_until_the_oldest_attempt_leaves_the_window() -> None:
    limiter = LimitsAttemptLimiter(RateLimitSettings(login_per_account="2/15 minutes"))
    await limiter.hit(RULE, "ann")
    await limiter.hit(RULE, "ann")
    assert 899 <= await limiter.hit(RULE, "ann") <= 900


async def test_counts_in_redis_are_shared_and_namespaced(redis_url: str, redis_prefix: str) -> None:
    settings = RateLimitSettings(
        login_per_account="3/minute", storage_url=redis_url, prefix=redis_prefix
    )
    one, two = LimitsAttemptLimiter(settings), LimitsAttemptLimiter(settings)
    elsewhere = LimitsAttemptLimiter(
        RateLimitSettings(
            login_per_account="3/minute", storage_url=redis_url, prefix=f"{redis_prefix}-other"
        )
    )
    try:
        assert [await one.hit(RULE, "ann"), await two.hit(RULE, "ann")] == [0, 0]
        assert await one.hit(RULE, "ann") == 0
        assert 59 <= await two.hit(RULE, "ann") <= 60
        assert 59 <= await one.peek(RULE, "ann") <= 60
        # Another prefix is another deployment: nothing shared.
        assert await elsewhere.hit(RULE, "ann") == 0
    finally:
        for limiter in (one, two, elsewhere):
            await limiter.close()


async def test_redis_keys_name_neither_email_nor_address(redis_url: str, redis_prefix: str) -> None:
    import redis.asyncio

    limiter = LimitsAttemptLimiter(RateLimitSettings(storage_url=redis_url, prefix=redis_prefix))
    client = redis.asyncio.Redis.from_url(redis_url)
    try:
        await limiter.hit(RULE, "ann@example.com")
        keys = [key.decode() async for key in client.scan_iter(match=f"*{redis_prefix}*")]
        assert len(keys) == 1
        assert keys[0].startswith(f"LIMITS:LIMITER/{redis_prefix}/login-account/")
        assert "ann" not in keys[0]
    finally:
        await client.aclose()
        await limiter.close()


@pytest_asyncio.fixture
async def silent_server() -> AsyncIterator[int]:
    """A port that accepts connections and never answers: Redis hung, or a black hole."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


def closed_port() -> int:
    """A port nothing listens on: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize("answer", ["refused", "silent"])
async def test_a_failing_redis_falls_back_to_counting_in_this_process(
    answer: str, silent_server: int, caplog: pytest.LogCaptureFixture
) -> None:
    port = silent_server if answer == "silent" else closed_port()
    settings = RateLimitSettings(
        login_per_account="3/minute", storage_url=f"redis://127.0.0.1:{port}/0"
    )
    limiter = LimitsAttemptLimiter(settings)
    started = time.monotonic()
    try:
        with caplog.at_level(logging.WARNING, logger="tasklane.rate_limits"):
            waits = [await limiter.hit(RULE, "ann") for _ in range(4)]
    finally:
        await limiter.close()
    # Never a hang: at most one storage timeout (then the cool-down skips Redis).
    assert time.monotonic() - started < settings.storage_timeout_s + 0.3
    # Nobody locked out by the outage, and the limit still holds in this process.
    assert waits[:3] == [0, 0, 0]
    assert 59 <= waits[3] <= 60
    warnings = [record for record in caplog.records if record.name == "tasklane.rate_limits"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert "counting in this process" in warnings[0].getMessage()
