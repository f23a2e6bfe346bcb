"""The one-round-trip pre-ping: a connection the server dropped is replaced unseen."""

import asyncpg
import pytest
from sqlalchemy import text

from infrastructure.persistence.sqlalchemy import build_engine
from infrastructure.settings import DatabaseSettings

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio]


@pytest.mark.parametrize("production", [False, True], ids=["development", "production"])
async def test_a_terminated_pooled_connection_is_replaced_on_checkout(
    migrated_postgres_url: str, production: bool
) -> None:
    settings = DatabaseSettings(url=migrated_postgres_url, pool_size=1, max_overflow=0)
    engine = build_engine(settings, production=production)
    try:
        async with engine.connect() as connection:
            first = await connection.scalar(text("SELECT pg_backend_pid()"))
        admin = await asyncpg.connect(migrated_postgres_url)
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", first)
        finally:
            await admin.close()

        # The pooled connection is dead; the checkout ping notices and reconnects.
        async with engine.connect() as connection:
            second = await connection.scalar(text("SELECT pg_backend_pid()"))
        assert second != first
    finally:
        await engine.dispose()
