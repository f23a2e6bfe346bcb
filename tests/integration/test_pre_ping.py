"""The checkout ping: a connection that sat idle and was dropped by the server is
replaced unseen; one reused at once is not pinged, and its loss is a transient error
that a fresh unit of work gets past.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.errors import TransientError
from infrastructure.persistence.sqlalchemy import SqlAlchemyUnitOfWork, build_engine, ping
from infrastructure.settings import DatabaseSettings

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio]


@asynccontextmanager
async def _one_connection(url: str, *, production: bool) -> AsyncIterator[AsyncEngine]:
    """An app engine whose pool holds a single connection."""
    settings = DatabaseSettings(url=url, pool_size=1, max_overflow=0)
    engine = build_engine(settings, production=production)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        pid = await connection.scalar(text("SELECT pg_backend_pid()"))
    assert isinstance(pid, int)
    return pid


async def _terminate(url: str, pid: int) -> None:
    admin = await asyncpg.connect(url)
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


@pytest.mark.parametrize("production", [False, True], ids=["development", "production"])
async def test_an_idle_terminated_connection_is_replaced_on_checkout(
    migrated_postgres_url: str, production: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every connection counts as idle: the ping runs at each checkout.
    monkeypatch.setattr(ping, "PING_AFTER_IDLE_S", 0.0)
    async with _one_connection(migrated_postgres_url, production=production) as engine:
        first = await _backend_pid(engine)
        await _terminate(migrated_postgres_url, first)
        # The pooled connection is dead; the checkout ping notices and reconnects.
        assert await _backend_pid(engine) != first


async def test_a_connection_reused_at_once_is_not_pinged_and_its_loss_is_transient(
    migrated_postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No connection counts as idle: nothing is pinged.
    monkeypatch.setattr(ping, "PING_AFTER_IDLE_S", 3600.0)
    async with _one_connection(migrated_postgres_url, production=True) as engine:
        first = await _backend_pid(engine)
        await _terminate(migrated_postgres_url, first)
        # Unpinged, the dead connection reaches the statement: a transient error, which
        # the use-case runner answers with a fresh unit of work.
        with pytest.raises(TransientError):
            async with SqlAlchemyUnitOfWork(engine).reading() as uow:
                await uow.users.get_by_email("nobody@example.com")
        async with SqlAlchemyUnitOfWork(engine).reading() as uow:
            assert await uow.users.get_by_email("nobody@example.com") is None
        assert await _backend_pid(engine) != first
