"""The database health probe: one ``SELECT 1`` with a deadline, and the pool figures."""

import asyncio
import logging
import time

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from application.ports import DatabaseStatus
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
            async with asyncio.timeout(timeout_s), self._engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as error:
            # TimeoutError included: a hung server is exactly what this must report.
            logger.warning("database ping failed: %s", type(error).__name__)
            healthy = False
        latency_ms = round((time.perf_counter() - started) * 1000, 3)
        return DatabaseStatus(
            healthy=healthy, latency_ms=latency_ms, pool=pool_status(self._engine)
        )
