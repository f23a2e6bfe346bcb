"""The engine reading units of work run on, and how its statements skip transactions.

On PostgreSQL a read is one statement in autocommit: no BEGIN or ROLLBACK round trip
around it. The read engine shares the writers' pool and only marks its connections;
they are not switched to SQLAlchemy's ``AUTOCOMMIT`` isolation level at each checkout.
Switching cost 15-20 us of a read's 50 us checkout and return (the engine's connect
event, the level set on the DBAPI connection and reset at checkin), against 31-37 us
for a writer's (20,000 checkouts and returns each, in process).

Instead the hot statements (``direct``) run straight on asyncpg outside any
transaction, and a statement on SQLAlchemy's own path switches its connection to
``AUTOCOMMIT`` first (``autocommit_if_reading``): the level is reset when the connection
goes back to the pool, as for any connection-level option.
"""

from functools import partial

from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from infrastructure.persistence.sqlalchemy.greenlets import run_sync

# The execution option marking the read engine's connections.
READS_IN_AUTOCOMMIT = "tasklane_reads_in_autocommit"
_AUTOCOMMIT = "AUTOCOMMIT"


def build_read_engine(engine: AsyncEngine, *, pooled: bool = False) -> AsyncEngine:
    """``engine`` as reading units of work use it: in autocommit on PostgreSQL, so a read
    is one statement with no BEGIN or ROLLBACK around it (same pool). SQLite keeps its
    transactions (its BEGIN costs no round trip, and the savepoint recipe depends on it),
    and so does a connection through a transaction-mode pooler (``pooled``): outside a
    transaction it may hand asyncpg's prepare and its execute to two different servers
    ("prepared statement ... does not exist").
    """
    if engine.dialect.name != "postgresql" or pooled:
        return engine
    return engine.execution_options(**{READS_IN_AUTOCOMMIT: True})


def reads_outside_transaction(connection: Connection) -> bool:
    """Whether ``connection`` is a reading one that has not begun a transaction: its next
    statement runs on its own, in autocommit."""
    return bool(connection.get_execution_options().get(READS_IN_AUTOCOMMIT)) and (
        not connection.in_transaction()
    )


async def autocommit_if_reading(connection: AsyncConnection) -> None:
    """Before a statement on SQLAlchemy's path: a reading connection not yet in
    ``AUTOCOMMIT`` is switched to it (SQLAlchemy would otherwise begin a transaction)."""
    sync = connection.sync_connection
    if sync is None or sync.get_execution_options().get("isolation_level") == _AUTOCOMMIT:
        return
    if reads_outside_transaction(sync):
        await run_sync(partial(sync.execution_options, isolation_level=_AUTOCOMMIT))
