"""What a key costs on PostgreSQL: nothing without one; with one, a single statement (the
record's insert, with its lock in the same round trip). A replay runs the write, rolls
it back and reads the record: two statements more than an unkeyed write.
"""

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
import pytest_asyncio
from sqlalchemy import event

from application.dto import CreateTaskCommand
from application.idempotency import KeyedRequest, Reply, run_once
from application.use_cases.task_creation import add_task
from application.use_cases.tasks import create_task
from domain.task import Task
from domain.unit_of_work import UnitOfWork
from infrastructure.persistence.sqlalchemy import SqlAlchemyUnitOfWork, build_engine
from infrastructure.settings import DatabaseSettings
from tests.behaviour.support import add_user

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio]


class Counted:
    """Units of work on one engine, and the SQL statements they have sent."""

    def __init__(self, uow: SqlAlchemyUnitOfWork) -> None:
        self.uow = uow
        self.statements: list[str] = []

    def since(self, mark: int) -> list[str]:
        # Transaction control is the same with or without a key.
        return [s for s in self.statements[mark:] if s.split()[0] not in ("BEGIN", "COMMIT")]


@pytest_asyncio.fixture
async def counted(migrated_postgres_url: str) -> AsyncIterator[Counted]:
    engine = build_engine(DatabaseSettings(url=migrated_postgres_url), production=False)
    counter = Counted(SqlAlchemyUnitOfWork(engine))

    def record(*args: object) -> None:
        counter.statements.append(str(args[2]))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield counter
    finally:
        await engine.dispose()


def _render(task: Task) -> Reply:
    return Reply(201, str(task.id).encode())


async def test_a_key_costs_one_statement(counted: Counted) -> None:
    owner = await add_user(lambda: counted.uow, f"statements-{uuid4().hex}@example.com")
    command = CreateTaskCommand(title="counted")

    mark = len(counted.statements)
    await create_task(counted.uow, owner.id, command)
    unkeyed = counted.since(mark)

    async def effect(uow: UnitOfWork) -> Task:
        return await add_task(uow, owner.id, command)

    keyed_request = KeyedRequest("counted", "f" * 64)
    mark = len(counted.statements)
    first = await run_once(counted.uow, owner.id, keyed_request, effect, _render)
    keyed = counted.since(mark)
    mark = len(counted.statements)
    again = await run_once(counted.uow, owner.id, keyed_request, effect, _render)
    replay = counted.since(mark)

    assert len(keyed) == len(unkeyed) + 1, keyed
    assert keyed[:-1] == unkeyed
    assert "pg_try_advisory_xact_lock" in keyed[-1]
    assert "INSERT INTO remembered_responses" in keyed[-1]
    # The write (rolled back), the record's insert refused, the record read.
    assert len(replay) == len(unkeyed) + 2, replay
    assert replay[-1].startswith("SELECT remembered_responses.")
    assert again.replayed
    assert again.body == first.body
