"""Fault tests: a PostgreSQL cluster of their own, which they stop, restart and starve.

The cluster is created once per run (about a second) and left running after every
test. The app under test is served in the test's own event loop over ASGI, so every
blocking call (``pg_ctl``) goes through ``asyncio.to_thread``.
"""

import asyncio
import logging
import os
import shutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest

from application.jobs.settings import JobSettings
from application.retry import RetryPolicy
from infrastructure.persistence.sqlalchemy.engine import APPLICATION_NAME
from infrastructure.settings import DatabaseSettings, Settings
from interfaces.app import create_app
from tests.http.support import PROBLEM, Api
from tests.support.asgi import asgi_transport, serving
from tests.support.postgres_cluster import PostgresCluster
from tests.support.tokens import TEST_JWT_SECRET

DATABASE = "tasklane_faults"


# Small figures so a fault costs the suite a second, not the production defaults.
class FaultDatabase(TypedDict):
    """The pool and timeout knobs every fault test's ``DatabaseSettings`` uses."""

    timeout: float
    pool_timeout: float
    pool_size: int
    max_overflow: int


FAULT_DATABASE = FaultDatabase(timeout=1.0, pool_timeout=1.0, pool_size=2, max_overflow=0)
RETRY_LOGGER = "tasklane.retry"
# A request not sent yet: called once the test is ready to time it.
Request = Callable[[], Awaitable[httpx.Response]]


def _have_server_binaries() -> bool:
    if shutil.which("initdb") and shutil.which("pg_ctl"):
        return True
    return any(Path("/usr/lib/postgresql").glob("*/bin/initdb"))


def _with_database(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


@dataclass
class Cluster:
    """The fault tests' own server and migrated database, with async stop and start."""

    server: PostgresCluster
    url: str  # the migrated database, ``postgresql://``

    async def stop(self, mode: str = "fast") -> None:
        """``pg_ctl stop -m mode``: ``fast`` ends sessions cleanly, ``immediate`` crashes."""
        await asyncio.to_thread(self.server.stop, mode)

    async def start(self) -> None:
        """Start the server; returns once it accepts connections."""
        await asyncio.to_thread(self.server.start)
        await asyncio.to_thread(self.server.wait_ready, 10)

    @asynccontextmanager
    async def admin(self) -> AsyncIterator[asyncpg.Connection]:
        """A connection of the test's own, outside the app's pool."""
        connection = await asyncpg.connect(
            self.url, timeout=5, server_settings={"application_name": "tasklane-faults-admin"}
        )
        try:
            yield connection
        finally:
            await connection.close()


async def app_backends(admin: asyncpg.Connection) -> list[asyncpg.Record]:
    """The app's backends (``application_name = 'tasklane'``): pid, state, wait event."""
    # Inside a transaction the statistics are a snapshot; take a fresh one every time.
    await admin.execute("SELECT pg_stat_clear_snapshot()")
    return list(
        await admin.fetch(
            "SELECT pid, state, wait_event_type FROM pg_stat_activity "
            "WHERE application_name = $1 AND datname = $2",
            APPLICATION_NAME,
            DATABASE,
        )
    )


async def wait_for_lock_waiters(
    admin: asyncpg.Connection, count: int, *, besides: frozenset[int] = frozenset()
) -> list[int]:
    """The pids of ``count`` app backends waiting on a lock, once there are that many;
    pids in ``besides`` (a backend just terminated, which lingers a moment) never count.
    """
    async with asyncio.timeout(5):
        while True:
            waiting = [
                r["pid"]
                for r in await app_backends(admin)
                if r["wait_event_type"] == "Lock" and r["pid"] not in besides
            ]
            if len(waiting) >= count:
                return waiting
            await asyncio.sleep(0.02)


class RowLock:
    """An admin transaction holding ``FOR UPDATE`` on one task until ``release()``."""

    def __init__(self, cluster: Cluster, task_id: int) -> None:
        self._cluster, self._task_id = cluster, task_id
        self._stack = AsyncExitStack()
        self.admin: asyncpg.Connection | None = None

    async def __aenter__(self) -> "RowLock":
        admin = await self._stack.enter_async_context(self._cluster.admin())
        await admin.execute("BEGIN")
        await admin.execute("SELECT 1 FROM tasks WHERE id = $1 FOR UPDATE", self._task_id)
        self.admin = admin
        return self

    async def release(self) -> None:
        if self.admin is None or self.admin.is_closed():
            return  # the server went away, and the lock with it
        if self.admin.is_in_transaction():
            await self.admin.execute("ROLLBACK")

    async def __aexit__(self, *exc_info: object) -> None:
        try:
            await self.release()
        finally:
            await self._stack.aclose()


async def _create_database(server_url: str) -> None:
    connection = await asyncpg.connect(server_url, timeout=5)
    try:
        # The cluster keeps synchronous_commit on: these tests assert that what was
        # committed survives a crash (stop -m immediate).
        await connection.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    """A started PostgreSQL cluster with a migrated database, destroyed at the end.

    Skips when the server binaries are missing, unless ``REQUIRE_POSTGRES=1`` (CI),
    where that fails.
    """
    if not _have_server_binaries():
        reason = "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    from infrastructure.persistence.sqlalchemy.schema_upgrade import upgrade_schema

    server = PostgresCluster()
    try:
        server.start()
        server.wait_ready()
        asyncio.run(_create_database(server.url))
        url = _with_database(server.url, DATABASE)
        upgrade_schema(DatabaseSettings(url=url))
        yield Cluster(server, url)
    finally:
        server.destroy()


@pytest.fixture(autouse=True)
def _cluster_left_running(cluster: Cluster) -> Iterator[None]:
    """Whatever a test did to the server, the next one finds it running."""
    yield
    if not cluster.server.is_running():
        cluster.server.start()
        cluster.server.wait_ready()


@pytest.fixture
def retry_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """``caplog`` recording ``tasklane.retry`` at INFO.

    The app's logging config replaces the root logger's handlers when the app is built,
    so the capturing handler is attached to the retry logger itself.
    """
    logger = logging.getLogger(RETRY_LOGGER)
    previous = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(caplog.handler)
    try:
        yield caplog
    finally:
        logger.removeHandler(caplog.handler)
        logger.setLevel(previous)


def retry_records(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The retry logger's messages, each once."""
    seen: dict[int, str] = {}
    for record in caplog.records:
        if record.name == RETRY_LOGGER:
            seen[id(record)] = record.getMessage()
    return list(seen.values())


def fault_settings(url: str, retry: RetryPolicy | None = None, **database: Any) -> Settings:
    """Settings for an app on ``url`` with the fault tests' small timeouts and pool."""
    figures: dict[str, Any] = {**FAULT_DATABASE, **database}
    return Settings(
        database=DatabaseSettings(url=url, **figures),
        retry=retry or RetryPolicy(),
        argon2_time_cost=1,
        argon2_memory_kib=8,
        jobs=JobSettings(workers=0),
        jwt_secret=TEST_JWT_SECRET,
    )


@asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[Api]:
    """The app for ``settings`` served in this loop, and a client of it."""
    app = create_app(settings)
    async with serving(app):
        transport = asgi_transport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://tasklane") as client:
            yield Api(client)


def assert_unavailable(response: httpx.Response) -> dict[str, Any]:
    """A 503 problem+json answer that tells the client when to come back."""
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert int(response.headers["Retry-After"]) > 0
    body: dict[str, Any] = response.json()
    assert body["status"] == 503
    return body


async def timed(request: Awaitable[httpx.Response], limit_s: float) -> tuple[httpx.Response, float]:
    """Await ``request`` (a coroutine) and how long it took; fails instead of hanging."""
    started = time.monotonic()
    async with asyncio.timeout(limit_s + 5):
        response = await request
    return response, time.monotonic() - started


async def wait_until_pool_idle(api: Api, limit_s: float = 2.0) -> dict[str, int]:
    """The pool figures once nothing is checked out (fails after ``limit_s``)."""
    deadline = time.monotonic() + limit_s
    while True:
        response = await api.get("/health/database")
        assert response.status_code == 200, response.text
        pool: dict[str, int] = response.json()["pool"]
        if pool["checked_out"] == 0 or time.monotonic() > deadline:
            assert pool["checked_out"] == 0, pool
            return pool
        await asyncio.sleep(0.05)


async def assert_none_idle_in_transaction(cluster: Cluster) -> None:
    """No backend of the app sits in an open transaction."""
    async with cluster.admin() as admin:
        states = [row["state"] for row in await app_backends(admin)]
    assert not [s for s in states if s and s.startswith("idle in transaction")], states
