"""Jobs by status, for the metrics scrape: one cheap grouped count with a deadline."""

import asyncio
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

logger = logging.getLogger(__name__)

_COUNT = text("SELECT status, count(*) FROM jobs GROUP BY status")


async def job_counts(engine: AsyncEngine, timeout_s: float) -> dict[str, int] | None:
    """Jobs per status; ``None`` when the database does not answer within ``timeout_s``
    (a free connection included), never an exception.
    """
    try:
        async with asyncio.timeout(timeout_s), engine.connect() as connection:
            rows = (await connection.execute(_COUNT)).all()
    except Exception as error:
        logger.warning("metrics: cannot count jobs: %s", type(error).__name__)
        return None
    return {str(status): int(count) for status, count in rows}
