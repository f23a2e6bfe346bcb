"""The database health probe: one ``SELECT 1`` with a deadline, and the pool figures."""

import asyncio
import logging
import time

from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from application.ports import DatabaseStatus
from infrastructure.persistence.sqlalchemy.ping import ping_or_drop
from infrastructure.persistence.sqlalchemy.pool import pool_status, track_invalidations

logger = logging.getLogger(__name__)


class SqlAlchemyDatabaseProbe:
    """``DatabaseProbe`` on an engine; reports failures as unhealthy, never raises them."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        track_invalidations(engine)

    async def ping(self, timeout_s: float) -> DatabaseStatus:
        started = time.perf_counter()
        healthy = True
        try:
            deadline = asyncio.get_running_loop().time() + timeout_s
            async with asyncio.timeout_at(deadline):
                connection = await self._engine.connect()
            try:
                remaining = max(0.001, deadline - asyncio.get_running_loop().time())
                await connection.run_sync(_select_one, remaining)
            finally:
                await connection.close()
        except Exception as error:
            # TimeoutError included: a hung server is exactly what this must report.
            logger.warning("database ping failed: %s", type(error).__name__)
            healthy = False
        latency_ms = round((time.perf_counter() - started) * 1000, 3)
        return DatabaseStatus(
            healthy=healthy, latency_ms=latency_ms, pool=pool_status(self._engine)
        )


def _select_one(connection: Connection, timeout_s: float) -> None:
    if connection.dialect.driver != "asyncpg":
        connection.exec_driver_sql("SELECT 1")
        return
    # The driver's own deadline, and the socket dropped on failure: cancelling the
    # statement instead would make asyncpg ask a hung server to cancel it, politely.
    try:
        ping_or_drop(connection.connection.dbapi_connection, timeout_s)
    except BaseException:
        connection.invalidate()
        raise
