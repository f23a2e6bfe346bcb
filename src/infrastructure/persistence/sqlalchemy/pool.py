"""Connection-pool figures for health checks, never negative."""

import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool

from application.ports import PoolStatus


class _InvalidRecords:
    """Pool entries invalidated and not yet reconnected."""

    def __init__(self) -> None:
        self.records: weakref.WeakSet[Any] = weakref.WeakSet()

    def invalidated(self, _dbapi_connection: Any, record: Any, _exception: Any) -> None:
        self.records.add(record)

    def replaced(self, _dbapi_connection: Any, record: Any) -> None:
        self.records.discard(record)


# Keyed weakly by the sync engine so a disposed, forgotten engine takes its tracker along.
_TRACKERS: "weakref.WeakKeyDictionary[Engine, _InvalidRecords]" = weakref.WeakKeyDictionary()


def track_invalidations(engine: AsyncEngine) -> None:
    """Start counting invalidated connections of ``engine`` (idempotent)."""
    sync_engine = engine.sync_engine
    if sync_engine in _TRACKERS:
        return
    tracker = _InvalidRecords()
    event.listen(sync_engine, "invalidate", tracker.invalidated)
    event.listen(sync_engine, "soft_invalidate", tracker.invalidated)
    # Not "close": invalidating closes the connection too. A record dropped from the
    # pool is garbage and leaves the weak set by itself.
    event.listen(sync_engine, "connect", tracker.replaced)
    _TRACKERS[sync_engine] = tracker


def pool_status(engine: AsyncEngine) -> PoolStatus | None:
    """The queue pool's figures; ``None`` for pools without a queue (static, null)."""
    pool = engine.pool
    if not isinstance(pool, QueuePool):
        return None
    tracker = _TRACKERS.get(engine.sync_engine)
    return PoolStatus(
        size=max(0, pool.size()),
        checked_in=max(0, pool.checkedin()),
        checked_out=max(0, pool.checkedout()),
        # QueuePool counts overflow from -pool_size while the pool fills up.
        overflow=max(0, pool.overflow()),
        invalid=len(tracker.records) if tracker is not None else 0,
    )
