"""One async engine per process, sized by a development or production profile."""

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool
from sqlalchemy.util import await_

from infrastructure.database_url import DatabaseTarget, normalize_database_url
from infrastructure.persistence.sqlalchemy.pool import track_invalidations
from infrastructure.persistence.sqlalchemy.sqlite import (
    install_sqlite_listeners,
    is_memory,
    prepare_sqlite_file,
)
from infrastructure.settings import DatabaseSettings

# A statement running longer than this is a stalled server, not a slow query: fail it
# rather than hold a request (and a pooled connection) forever.
COMMAND_TIMEOUT_S = 30.0
APPLICATION_NAME = "tasklane"
# The checkout ping's deadline (never above DATABASE_TIMEOUT). A live server answers it
# in a millisecond; one silent for a second is hung or cut off, so the connection is
# replaced and the request pays at most this plus one connect timeout.
PING_TIMEOUT_S = 1.0


@dataclass(frozen=True, slots=True)
class EngineProfile:
    """Pool and timeout figures; ``pool_recycle`` -1 keeps connections indefinitely."""

    pool_size: int
    max_overflow: int
    pool_timeout: float
    connect_timeout: float
    pool_recycle: int
    echo: bool = False
    isolation_level: str = "READ COMMITTED"


# Measured with 32 concurrent clients: 5+10 starved the pool to a p99 of 5 s,
# 20+20 held it at 0.4 s.
DEVELOPMENT = EngineProfile(
    pool_size=5, max_overflow=5, pool_timeout=10.0, connect_timeout=5.0, pool_recycle=-1
)
PRODUCTION = EngineProfile(
    pool_size=20, max_overflow=20, pool_timeout=10.0, connect_timeout=5.0, pool_recycle=3600
)


# SQLite has one writer at a time, and BEGIN IMMEDIATE makes every unit of work a
# writer: a second connection would only wait on SQLite's busy handler, which sleeps in
# steps of up to 100 ms. One connection queued in the pool hands over at once.
SQLITE_FILE = replace(DEVELOPMENT, pool_size=1, max_overflow=0)


def engine_profile(
    database: DatabaseSettings, *, production: bool, sqlite: bool = False
) -> EngineProfile:
    """The profile's figures with every value the settings give taken over."""
    base = SQLITE_FILE if sqlite else PRODUCTION if production else DEVELOPMENT

    def pick(value: Any, default: Any) -> Any:
        return default if value is None else value

    return EngineProfile(
        pool_size=pick(database.pool_size, base.pool_size),
        max_overflow=pick(database.max_overflow, base.max_overflow),
        pool_timeout=pick(database.pool_timeout, base.pool_timeout),
        connect_timeout=pick(database.timeout, base.connect_timeout),
        pool_recycle=pick(database.pool_recycle, base.pool_recycle),
        echo=database.echo,
        isolation_level=database.isolation_level,
    )


def engine_arguments(target: DatabaseTarget, profile: EngineProfile) -> dict[str, Any]:
    """Keyword arguments for ``create_async_engine`` (the URL aside)."""
    arguments: dict[str, Any] = {"echo": profile.echo}
    connect_args = dict(target.connect_args)
    if target.dialect == "sqlite" and is_memory(target.url):
        # One shared connection, or every session would see its own empty database;
        # a static pool takes no sizing arguments.
        arguments["poolclass"] = StaticPool
        connect_args.setdefault("check_same_thread", False)
    else:
        # A ping per checkout is cheap and turns a server restart into a non-event.
        arguments.update(
            pool_pre_ping=True,
            pool_size=profile.pool_size,
            max_overflow=profile.max_overflow,
            pool_timeout=profile.pool_timeout,
            pool_recycle=profile.pool_recycle,
        )
    if target.dialect == "postgresql":
        # SQLite is serializable by construction; PostgreSQL takes the configured level.
        arguments["isolation_level"] = profile.isolation_level
        connect_args.setdefault("timeout", profile.connect_timeout)
        connect_args.setdefault("command_timeout", COMMAND_TIMEOUT_S)
        connect_args.setdefault("server_settings", {"application_name": APPLICATION_NAME})
    arguments["connect_args"] = connect_args
    return arguments


def build_engine(database: DatabaseSettings, *, production: bool) -> AsyncEngine:
    """The process's engine for ``database``; nothing connects until first use."""
    target = normalize_database_url(database.url, pgbouncer=database.pgbouncer)
    sqlite_file = target.dialect == "sqlite" and not is_memory(target.url)
    profile = engine_profile(database, production=production, sqlite=sqlite_file)
    if target.dialect == "sqlite":
        prepare_sqlite_file(target.url)
    engine = create_async_engine(target.url, **engine_arguments(target, profile))
    if target.dialect == "sqlite":
        install_sqlite_listeners(
            engine, busy_timeout_s=profile.connect_timeout, memory=is_memory(target.url)
        )
    track_invalidations(engine)
    bound_pre_ping(engine, min(PING_TIMEOUT_S, profile.connect_timeout))
    return engine


def bound_pre_ping(engine: AsyncEngine, timeout_s: float) -> None:
    """Give ``pool_pre_ping`` on asyncpg a deadline, and drop a connection that fails it.

    Supersedes ``ping.use_single_round_trip_ping``, keeping its one round trip (a
    simple-protocol ``SELECT 1``: one message, nothing prepared, so PgBouncer in
    transaction mode routes it whole). That ping, like SQLAlchemy's own, waited up to
    ``COMMAND_TIMEOUT_S`` on a server that stops answering without closing its sockets
    (a hung host, a network partition), and SQLAlchemy then spent up to 2 s more closing
    the connection politely: a request stalled 32 s instead of answering 503. Here the
    ping gets ``timeout_s``; on any failure the socket is dropped at once and the pool
    is told with a ``DisconnectionError``, on which it replaces this connection only (a
    fresh connect, bounded by the connect timeout). Invalidating the whole pool instead
    would have each other pooled connection closed politely, waiting on the same silent
    server.
    """
    if engine.dialect.driver != "asyncpg":
        return

    def do_ping(dbapi_connection: Any) -> bool:
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
        return True

    engine.dialect.do_ping = do_ping  # type: ignore[method-assign]
