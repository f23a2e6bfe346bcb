"""The session factory advanced-alchemy's plugin takes, and the engine reads run on."""

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker


def build_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that never expire what they loaded (no lazy I/O) and never autoflush."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


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
    return engine.execution_options(isolation_level="AUTOCOMMIT")
