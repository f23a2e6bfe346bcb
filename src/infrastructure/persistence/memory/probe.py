"""The health probe of the in-memory store: always reachable, no pool."""

import time

from application.ports import DatabaseStatus


class InMemoryDatabaseProbe:
    """Implements ``application.ports.DatabaseProbe``."""

    async def ping(self, timeout_s: float) -> DatabaseStatus:
        started = time.perf_counter()
        return DatabaseStatus(True, (time.perf_counter() - started) * 1000, None)
