"""One behaviour suite, every backend: each test gets a fresh, empty store of each kind."""

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from domain.user import User
from infrastructure.persistence.memory import InMemoryStore, InMemoryUnitOfWork
from infrastructure.settings import DatabaseSettings
from tests.behaviour.support import UowFactory, add_user

# "pgbouncer" is the "postgres" database reached through PgBouncer in transaction mode.
SQL_SERVERS = [
    pytest.param("postgres", marks=pytest.mark.postgres),
    pytest.param("pgbouncer", marks=pytest.mark.postgres),
]
BACKENDS = ["memory", "sqlite", *SQL_SERVERS]


def _sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test: migrating every time is slow."""
    from infrastructure.persistence.sqlalchemy.schema_upgrade import upgrade_schema

    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    upgrade_schema(DatabaseSettings(url=_sqlite_url(path)))
    return path


@pytest.fixture(scope="session")
def migrated_postgres(postgres_url: str) -> DatabaseSettings:
    """This run's PostgreSQL database, migrated once."""
    from infrastructure.persistence.sqlalchemy.schema_upgrade import upgrade_schema

    settings = DatabaseSettings(url=postgres_url)
    upgrade_schema(settings)
    return settings


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> DatabaseSettings | None:
    """Where the test's SQL database lives (``None`` in memory). Sync, because
    migrations run their own event loop.
    """
    if backend == "memory":
        return None
    if backend == "sqlite":
        path = tmp_path / "behaviour.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return DatabaseSettings(url=_sqlite_url(path))
    settings: DatabaseSettings = request.getfixturevalue("migrated_postgres")
    if backend == "pgbouncer":
        # Migrated directly above; only the test's own traffic goes through the pooler.
        return DatabaseSettings(url=request.getfixturevalue("pgbouncer_url"), pgbouncer=True)
    return settings


@pytest_asyncio.fixture
async def uow_factory(database: DatabaseSettings | None) -> AsyncIterator[UowFactory]:
    """Makes units of work on one empty store; each call is a new unit (a new session)."""
    if database is None:
        store = InMemoryStore()
        yield lambda: InMemoryUnitOfWork(store)
        return
    from sqlalchemy import text

    from infrastructure.persistence.sqlalchemy import (
        SqlAlchemyUnitOfWork,
        behind_transaction_pooler,
        build_engine,
        build_read_engine,
        metadata,
    )

    engine = build_engine(database, production=False)
    try:
        if engine.dialect.name == "postgresql":
            tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
            async with engine.begin() as connection:
                await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        # The app's reading engine too: autocommit reads on direct PostgreSQL.
        readers = build_read_engine(engine, pooled=behind_transaction_pooler(database))
        yield lambda: SqlAlchemyUnitOfWork(engine, readers)
    finally:
        await engine.dispose()


@pytest_asyncio.fixture
async def alice(uow_factory: UowFactory) -> User:
    return await add_user(uow_factory, "alice@example.com")


@pytest_asyncio.fixture
async def bob(uow_factory: UowFactory) -> User:
    return await add_user(uow_factory, "bob@example.com")
