"""The session factory advanced-alchemy's plugin takes."""

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker


def build_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that never expire what they loaded (no lazy I/O) and never autoflush."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
