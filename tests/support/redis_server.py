"""The Redis server some rate-limit tests count in: found, or skipped (failed in CI)."""

import os
import secrets

import pytest
import redis

DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_url_or_skip() -> str:
    """``TEST_REDIS_URL`` (default: the local server) when it answers a PING.

    Skips when it does not, unless ``REQUIRE_POSTGRES=1`` (CI), where that fails.
    """
    url = os.environ.get("TEST_REDIS_URL") or DEFAULT_TEST_REDIS_URL
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except (redis.RedisError, OSError) as error:
        reason = f"Redis not reachable at {url}: {error}"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    finally:
        client.close()
    return url


def unique_prefix() -> str:
    """A key prefix no other test, run or deployment sharing the server uses."""
    return f"tasklane-test-{os.getpid()}-{secrets.token_hex(4)}"


def delete_prefix(url: str, prefix: str) -> None:
    """Remove the keys a test counted under ``prefix`` (never anything else)."""
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        keys = list(client.scan_iter(match=f"LIMITS:LIMITER/{prefix}/*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
