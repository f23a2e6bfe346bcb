"""Migrations build exactly the records' schema, and savepoints behave, on SQLite and PostgreSQL."""

import asyncio
import contextlib
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from uuid import uuid4

import pytest
import pytest_asyncio
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, create_engine, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.category import NewCategory
from domain.errors import ConflictError
from domain.ids import UserId
from domain.paging import PageWindow
from domain.task import NewTask
from domain.task_query import TaskQuery
from domain.user import NewUser
from infrastructure.persistence.sqlalchemy import (
    SqlAlchemyDatabaseProbe,
    SqlAlchemyUnitOfWork,
    build_engine,
    metadata,
)
from infrastructure.persistence.sqlalchemy.pool import pool_status
from infrastructure.persistence.sqlalchemy.schema_upgrade import upgrade_schema
from infrastructure.settings import DatabaseSettings

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def migrated(request: pytest.FixtureRequest, tmp_path: Path) -> DatabaseSettings:
    """A database migrated to head (twice: the second run must be a no-op)."""
    if request.param == "sqlite":
        settings = DatabaseSettings(url=f"sqlite:///{tmp_path / 'migrated.db'}")
    else:
        settings = DatabaseSettings(url=request.getfixturevalue("postgres_url"))
    upgrade_schema(settings)
    upgrade_schema(settings)
    return settings


@pytest_asyncio.fixture
async def engine(migrated: DatabaseSettings) -> AsyncIterator[AsyncEngine]:
    engine = build_engine(migrated, production=False)
    yield engine
    await engine.dispose()


def _schema_diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "version_table": "alembic_versions"}
    )
    with warnings.catch_warnings():
        # SQLite cannot reflect expression indexes; alembic says so and skips them.
        warnings.filterwarnings("ignore", message="autogenerate skipping", category=UserWarning)
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
        diff = compare_metadata(context, metadata)
    if connection.dialect.name == "sqlite":
        # GUID's BINARY(16) reflects as NUMERIC on SQLite: a reflection artefact.
        diff = [d for d in diff if not (isinstance(d, list) and d[0][0] == "modify_type")]
    return list(diff)


@pytest.mark.asyncio
async def test_migrations_build_exactly_the_records_schema(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        assert await connection.run_sync(_schema_diff) == []
        version = await connection.scalar(text("SELECT version_num FROM alembic_versions"))
    assert version == _head_revision()


def test_downgrade_and_upgrade_round_trip(tmp_path: Path) -> None:
    from alembic import command

    from infrastructure.persistence.sqlalchemy.schema_upgrade import alembic_config

    path = tmp_path / "round.db"
    settings = DatabaseSettings(url=f"sqlite:///{path}")
    upgrade_schema(settings)
    engine = build_engine(settings, production=False)
    command.downgrade(alembic_config(engine), "base")
    asyncio.run(engine.dispose())
    # Down to nothing: only the (empty) version table is left.
    with _sqlite(path) as connection:
        assert inspect(connection).get_table_names() == ["alembic_versions"]
        assert connection.scalar(text("SELECT count(*) FROM alembic_versions")) == 0
    upgrade_schema(settings)
    # And up again to exactly the records' schema, at the head revision.
    with _sqlite(path) as connection:
        assert _schema_diff(connection) == []
        assert connection.scalar(text("SELECT version_num FROM alembic_versions")) == (
            _head_revision()
        )


@contextlib.contextmanager
def _sqlite(path: Path) -> Iterator[Connection]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _head_revision() -> str:
    from alembic.script import ScriptDirectory

    from infrastructure.persistence.sqlalchemy.config import MIGRATIONS_DIR

    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert head is not None
    return head


async def _user(uow: SqlAlchemyUnitOfWork) -> UserId:
    async with uow:
        user = await uow.users.add(NewUser(f"{uuid4().hex}@example.com", "hash"))
        await uow.commit()
    return user.id


@pytest.mark.asyncio
async def test_savepoint_rollback_keeps_the_outer_work(engine: AsyncEngine) -> None:
    uow = SqlAlchemyUnitOfWork(engine)
    owner = await _user(uow)
    async with uow:
        kept = await uow.tasks.add(NewTask(owner, "kept"))
        with contextlib.suppress(LookupError):
            async with uow.savepoint():
                await uow.tasks.add(NewTask(owner, "discarded"))
                raise LookupError("undo the savepoint")
        async with uow.savepoint():
            released = await uow.tasks.add(NewTask(owner, "released"))
        await uow.commit()
    async with uow:
        assert await uow.tasks.get(owner, kept.id) == kept
        assert await uow.tasks.get(owner, released.id) == released
        page = await uow.tasks.list(TaskQuery(owner))
    assert {task.title for task in page.items} == {"kept", "released"}
    assert page.total == 2


@pytest.mark.asyncio
async def test_unique_violation_in_a_savepoint_leaves_the_transaction_usable(
    engine: AsyncEngine,
) -> None:
    uow = SqlAlchemyUnitOfWork(engine)
    owner = await _user(uow)
    async with uow:
        await uow.categories.add(NewCategory(owner, "Home"))
        with pytest.raises(ConflictError, match="category name already taken"):
            async with uow.savepoint():
                await uow.categories.add(NewCategory(owner, "HOME"))
        after = await uow.categories.add(NewCategory(owner, "Work"))
        await uow.commit()
    async with uow:
        page = await uow.categories.list(owner, PageWindow())
    assert [c.name for c in page.items] == ["Home", "Work"]
    assert page.items[1] == after


@pytest.mark.asyncio
async def test_the_probe_reports_a_healthy_database(engine: AsyncEngine) -> None:
    status = await SqlAlchemyDatabaseProbe(engine).ping(2.0)
    assert status.healthy
    assert status.latency_ms >= 0
    assert status.pool is not None
    pool = status.pool
    # The development profile: 5 connections; SQLite files get one (a single writer).
    assert pool.size == (1 if engine.dialect.name == "sqlite" else 5)
    assert min(pool.checked_in, pool.checked_out, pool.overflow, pool.invalid) >= 0


@pytest.mark.asyncio
async def test_the_probe_counts_invalidated_connections_until_replaced(engine: AsyncEngine) -> None:
    probe = SqlAlchemyDatabaseProbe(engine)
    async with engine.connect() as connection:
        await connection.exec_driver_sql("SELECT 1")
        await connection.invalidate()
    assert (figures := pool_status(engine)) is not None
    assert figures.invalid == 1
    status = await probe.ping(2.0)  # reconnects the one pooled entry
    assert status.healthy
    assert status.pool is not None
    assert status.pool.invalid == 0
