"""The hot task statements on asyncpg itself: inside the unit of work's transaction (or
autocommit on a read), through the one error door, with lost connections invalidated in
SQLAlchemy's pool; and back on SQLAlchemy's path when listeners watch the statements.
"""

from collections.abc import AsyncIterator, Sequence
from typing import Any
from uuid import uuid4

import pytest
import pytest_asyncio
from sqlalchemy import event, text

from domain.errors import InvalidInputError, TransientError, UnavailableCause
from domain.ids import CategoryId, TaskId
from domain.task import NewTask, TaskChanges
from domain.task_query import TaskQuery
from infrastructure.persistence.sqlalchemy import (
    SqlAlchemyUnitOfWork,
    build_engine,
    build_read_engine,
    direct,
    pool_status,
)
from infrastructure.settings import DatabaseSettings
from tests.behaviour.support import add_user

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio]


class Direct:
    """A unit of work on PostgreSQL, and the SQL texts that went straight to asyncpg."""

    def __init__(self, uow: SqlAlchemyUnitOfWork, engine: Any) -> None:
        self.uow = uow
        self.engine = engine
        self.sent: list[str] = []


@pytest_asyncio.fixture
async def straight(
    migrated_postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Direct]:
    engine = build_engine(DatabaseSettings(url=migrated_postgres_url), production=False)
    spy = Direct(SqlAlchemyUnitOfWork(engine, build_read_engine(engine)), engine)
    run = direct._run

    async def recorded(connection: Any, sql: str, arguments: Sequence[Any]) -> Sequence[Any]:
        spy.sent.append(sql)
        return await run(connection, sql, arguments)

    monkeypatch.setattr(direct, "_run", recorded)
    try:
        yield spy
    finally:
        await engine.dispose()


async def _owner(straight: Direct) -> Any:
    return (await add_user(lambda: straight.uow, f"direct-{uuid4().hex}@example.com")).id


async def test_writes_run_in_the_units_transaction_and_roll_back_with_it(
    straight: Direct,
) -> None:
    owner = await _owner(straight)
    async with straight.uow as uow:
        task = await uow.tasks.add(NewTask(owner_id=owner, title="uncommitted"))
        driver = (await uow._current().get_raw_connection()).driver_connection
        assert driver is not None
        assert driver.is_in_transaction()
        changed = await uow.tasks.update(owner, task.id, TaskChanges(title="still uncommitted"))
        assert changed is not None
        assert changed.version == 2
        # Left without commit: SQLAlchemy's rollback discards both statements.
    assert straight.sent[0].startswith("INSERT INTO tasks")
    assert straight.sent[1].startswith("UPDATE tasks")
    async with straight.uow.reading() as uow:
        assert await uow.tasks.get(owner, task.id) is None


async def test_reads_run_in_autocommit_and_see_committed_rows(straight: Direct) -> None:
    owner = await _owner(straight)
    async with straight.uow as uow:
        task = await uow.tasks.add(NewTask(owner_id=owner, title="kept"))
        await uow.commit()
    async with straight.uow.reading() as uow:
        found = await uow.tasks.get(owner, task.id)
        page = await uow.tasks.list(TaskQuery(owner_id=owner))
        driver = (await uow._current().get_raw_connection()).driver_connection
        assert driver is not None
        assert not driver.is_in_transaction()
    assert found == task
    assert page.items == [task]
    assert page.total == 1
    assert straight.sent[-2].startswith("SELECT")


async def test_reads_on_sqlalchemys_path_run_in_autocommit_and_leave_no_trace(
    straight: Direct,
) -> None:
    email = f"core-read-{uuid4().hex}@example.com"
    user = await add_user(lambda: straight.uow, email)
    async with straight.uow.reading() as uow:
        connection = uow._current()
        adapted = (await connection.get_raw_connection()).dbapi_connection
        assert adapted is not None
        # A hot statement runs alone on the driver: the connection is not switched.
        assert await uow.tasks.get(user.id, TaskId(1)) is None
        assert not adapted.autocommit
        assert not adapted.driver_connection.is_in_transaction()
        # Not a hot statement: SQLAlchemy runs it, on a connection switched to AUTOCOMMIT.
        assert await uow.users.get_by_email(email) == user
        assert not adapted.driver_connection.is_in_transaction()
        assert adapted.autocommit
    # Reset on its way back to the pool: a writer's statements run in its transaction.
    async with straight.uow as uow:
        again = (await uow._current().get_raw_connection()).dbapi_connection
        assert again is adapted  # the pool hands out its most recent connection first
        assert not again.autocommit
        await uow.tasks.add(NewTask(owner_id=user.id, title="in a transaction"))
        assert again.driver_connection.is_in_transaction()


async def test_a_read_keeps_a_transaction_it_began(straight: Direct) -> None:
    owner = await _owner(straight)
    async with straight.uow.reading() as uow:
        connection = uow._current()
        # Driver-level SQL outside the repositories begins SQLAlchemy's transaction...
        await connection.exec_driver_sql("SELECT 1")
        assert connection.in_transaction()
        # ...and a hot statement after it runs inside that transaction.
        assert await uow.tasks.get(owner, TaskId(1)) is None
        driver = (await connection.get_raw_connection()).driver_connection
        assert driver is not None
        assert driver.is_in_transaction()


async def test_a_foreign_key_from_the_driver_is_the_domain_error(straight: Direct) -> None:
    owner = await _owner(straight)
    with pytest.raises(InvalidInputError):
        async with straight.uow as uow:
            await uow.tasks.add(
                NewTask(owner_id=owner, title="orphan", category_id=CategoryId(2**62))
            )
    assert straight.sent[-1].startswith("INSERT INTO tasks")


async def test_a_lost_connection_is_transient_and_invalidated_in_the_pool(
    straight: Direct,
) -> None:
    owner = await _owner(straight)
    async with straight.uow.reading() as uow:
        connection = uow._current()
        pid = (await connection.exec_driver_sql("SELECT pg_backend_pid()")).scalar_one()
        async with straight.engine.connect() as killer:
            await killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(TransientError) as lost:
            await uow.tasks.get(owner, TaskId(1))
        assert lost.value.cause is UnavailableCause.DATABASE_DOWN
        assert connection.invalidated
    status = pool_status(straight.engine)
    assert status is not None
    assert status.invalid >= 1
    async with straight.uow.reading() as uow:  # a fresh connection serves the next one
        assert await uow.tasks.get(owner, TaskId(1)) is None


async def test_watched_statements_stay_on_sqlalchemys_path(straight: Direct) -> None:
    owner = await _owner(straight)
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(straight.engine.sync_engine, "before_cursor_execute", record)
    sent = len(straight.sent)
    async with straight.uow.reading() as uow:
        await uow.tasks.get(owner, TaskId(1))
    assert len(straight.sent) == sent
    assert any(s.startswith("SELECT tasks.id") for s in seen)
