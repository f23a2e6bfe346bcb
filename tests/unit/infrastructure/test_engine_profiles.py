"""Engine profiles: pool figures per environment, overrides, and SQLite specifics."""

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool, StaticPool

from infrastructure.database_url import normalize_database_url
from infrastructure.persistence.sqlalchemy import build_engine
from infrastructure.persistence.sqlalchemy.engine import (
    COMMAND_TIMEOUT_S,
    engine_arguments,
    engine_profile,
)
from infrastructure.settings import DatabaseSettings

PG_URL = "postgresql://u:p@db.example/app"


def _queue_pool(engine: AsyncEngine) -> QueuePool:
    pool = engine.pool
    assert isinstance(pool, QueuePool)
    return pool


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("production", "size", "overflow", "recycle"),
    [(False, 5, 5, -1), (True, 40, 0, 3600)],
)
async def test_profile_pool_figures(
    production: bool, size: int, overflow: int, recycle: int
) -> None:
    engine = build_engine(DatabaseSettings(url=PG_URL), production=production)
    try:
        pool = _queue_pool(engine)
        assert pool.size() == size
        assert pool._max_overflow == overflow
        assert pool._timeout == 10.0
        assert pool._recycle == recycle
        # The most recently returned connection goes out first (warm, not pinged).
        assert pool._pool.use_lifo is True
        # The ping is ours (bound_pre_ping), after idling only: not SQLAlchemy's per checkout.
        assert pool._pre_ping is False
        assert engine.url.drivername == "postgresql+asyncpg"
    finally:
        await engine.dispose()


def test_postgres_connect_arguments_bound_every_wait() -> None:
    target = normalize_database_url(PG_URL)
    arguments = engine_arguments(target, engine_profile(DatabaseSettings(), production=True))
    connect_args = arguments["connect_args"]
    assert connect_args["timeout"] == 5.0
    assert connect_args["command_timeout"] == COMMAND_TIMEOUT_S
    assert connect_args["server_settings"] == {"application_name": "tasklane"}


def test_settings_override_every_profile_value() -> None:
    database = DatabaseSettings(
        url=PG_URL,
        pool_size=3,
        max_overflow=0,
        pool_timeout=2.5,
        timeout=1.5,
        pool_recycle=60,
        echo=True,
    )
    profile = engine_profile(database, production=True)
    assert (profile.pool_size, profile.max_overflow, profile.pool_recycle) == (3, 0, 60)
    assert (profile.pool_timeout, profile.connect_timeout, profile.echo) == (2.5, 1.5, True)
    arguments = engine_arguments(normalize_database_url(PG_URL), profile)
    assert arguments["pool_size"] == 3
    assert arguments["max_overflow"] == 0
    assert arguments["connect_args"]["timeout"] == 1.5


@pytest.mark.asyncio
@pytest.mark.parametrize("production", [False, True])
async def test_sqlite_memory_gets_a_static_pool_without_size_arguments(production: bool) -> None:
    engine = build_engine(DatabaseSettings(url="sqlite:///:memory:"), production=production)
    try:
        assert isinstance(engine.pool, StaticPool)
    finally:
        await engine.dispose()
    arguments = engine_arguments(
        normalize_database_url("sqlite:///:memory:"),
        engine_profile(DatabaseSettings(), production=production),
    )
    assert not {"pool_size", "max_overflow", "pool_timeout", "pool_recycle"} & arguments.keys()


@pytest.mark.asyncio
async def test_sqlite_file_creates_its_directory_and_uses_a_queue_pool(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "app.db"
    engine = build_engine(DatabaseSettings(url=f"sqlite:///{path}"), production=False)
    try:
        assert path.parent.is_dir()
        # One writer at a time: a single pooled connection, queued, not busy-waited.
        assert _queue_pool(engine).size() == 1
    finally:
        await engine.dispose()


@pytest.mark.asyncio
async def test_sqlite_file_pool_can_still_be_sized(tmp_path: Path) -> None:
    settings = DatabaseSettings(url=f"sqlite:///{tmp_path / 'app.db'}", pool_size=3)
    engine = build_engine(settings, production=False)
    try:
        assert _queue_pool(engine).size() == 3
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_database_url(request: pytest.FixtureRequest) -> str:
    """Sync on purpose: the PostgreSQL fixture runs its own event loop."""
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return "sqlite+aiosqlite:///:memory:"


@pytest.mark.asyncio
async def test_errors_never_carry_statement_parameters(any_database_url: str) -> None:
    engine = build_engine(DatabaseSettings(url=any_database_url), production=False)
    secret = "my private task title"
    try:
        async with engine.connect() as connection:
            with pytest.raises(DBAPIError) as raised:
                await connection.execute(
                    text("SELECT no_such_column FROM no_such_table WHERE :title = :title"),
                    {"title": secret},
                )
    finally:
        await engine.dispose()
    assert secret not in str(raised.value)
    assert "hide_parameters" in str(raised.value)
