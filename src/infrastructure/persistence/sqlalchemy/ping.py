"""The checkout ping for asyncpg: one round trip, with a deadline, only after idling."""

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import await_

# The ping's deadline (never above DATABASE_TIMEOUT). A live server answers it in a
# millisecond; one silent for a second is hung or cut off, so the connection is
# replaced and the request pays at most this plus one connect timeout.
PING_TIMEOUT_S = 1.0
# A connection back in the pool for less than this is checked out again unpinged. Under
# load every connection comes back within milliseconds, and a round trip per request was
# 10-13 % of a cached read's CPU; a connection idle longer is pinged as before.
PING_AFTER_IDLE_S = 0.2
_IDLE_SINCE = "tasklane_idle_since"


def bound_pre_ping(engine: AsyncEngine, timeout_s: float) -> None:
    """Ping an asyncpg connection idle for ``PING_AFTER_IDLE_S`` or more at checkout, with a
    deadline, and drop it when the ping fails (the pool then connects afresh).

    One round trip instead of SQLAlchemy's three (it wraps a prepared ``;`` in
    BEGIN/ROLLBACK for PgBouncer's sake, sqlalchemy#10226): a simple-protocol
    ``SELECT 1`` is one message, nothing prepared, so a transaction-mode pooler routes
    it whole (asyncpg fails on an empty simple query, so not ``;``).

    SQLAlchemy's ping also waited up to the 30 s command timeout on a server that
    stops answering without closing its sockets (a hung host, a partition), then spent
    up to 2 s more closing the connection politely: a request stalled 32 s instead of
    answering 503. Here the ping gets ``timeout_s``; on any failure the socket is
    dropped at once and the pool, told by a ``DisconnectionError``, replaces this
    connection only (a fresh connect, bounded by the connect timeout). Invalidating the
    whole pool would close every other connection politely, each waiting on the same
    silent server.

    A connection reused sooner answered a moment ago: a server that
    died since is caught by the statement itself (a lost connection is a transient
    error, and the unit of work is retried on a fresh one), as it would be had it died
    just after a ping.
    """
    if engine.dialect.driver != "asyncpg":
        return
    pool_events = engine.sync_engine.pool

    @event.listens_for(pool_events, "connect")
    def fresh(_dbapi_connection: Any, record: Any) -> None:
        record.info.pop(_IDLE_SINCE, None)

    @event.listens_for(pool_events, "checkin")
    def returned(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(pool_events, "checkout")
    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        # The module's figure, read at each checkout (tests move it).
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_S:
            return  # just connected, or answered a moment ago
        ping_or_drop(dbapi_connection, timeout_s)


def ping_or_drop(dbapi_connection: Any, timeout_s: float) -> None:
    """``SELECT 1`` on an asyncpg connection within ``timeout_s``; on any failure its
    socket is closed at once and ``DisconnectionError`` raised. Runs in SQLAlchemy's
    synchronous context (a pool event, ``run_sync``).
    """
    driver = dbapi_connection.driver_connection
    try:
        await_(driver.execute("SELECT 1", timeout=timeout_s))
    except BaseException as error:
        driver.terminate()  # no goodbye to a server that may not be listening
        if not isinstance(error, Exception):
            raise  # cancelled: the pool discards the connection on its way out
        raise sa_exc.DisconnectionError(
            f"pre-ping failed ({type(error).__name__}); replacing the connection"
        ) from error
