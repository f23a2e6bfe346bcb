"""Tasks stored with Core statements: one round trip per call, versions bumped in SQL."""

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.ids import CategoryId, TaskId, UserId
from domain.paging import Page
from domain.task import NewTask, Task, TaskChanges, first_state, processing, revision
from domain.task_query import TaskQuery
from infrastructure.persistence.sqlalchemy.execution import execute
from infrastructure.persistence.sqlalchemy.mapping import to_task
from infrastructure.persistence.sqlalchemy.paging import fetch_page
from infrastructure.persistence.sqlalchemy.records import tasks
from infrastructure.persistence.sqlalchemy.task_listing import task_keyset, task_listing


def _target(
    owner_id: UserId, task_id: TaskId, expected_version: int | None
) -> list[ColumnElement[bool]]:
    conditions = [tasks.c.id == task_id, tasks.c.user_id == owner_id]
    if expected_version is not None:
        conditions.append(tasks.c.version == expected_version)
    return conditions


# Built once: the hottest read skips statement construction and cache-key generation.
_GET = select(tasks).where(
    tasks.c.id == bindparam("task_id"), tasks.c.user_id == bindparam("owner_id")
)


class SqlAlchemyTaskRepository:
    """``TaskRepository`` on an ``AsyncConnection``; every statement is scoped by owner."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, task: NewTask) -> Task:
        statement = (
            insert(tasks)
            .values(
                user_id=task.owner_id,
                title=task.title,
                description=task.description,
                priority=task.priority.value,
                due_at=task.due_at,
                category_id=task.category_id,
                **first_state(datetime.now(UTC)),
            )
            .returning(*tasks.c)
        )
        return to_task((await execute(self._connection, statement)).mappings().one())

    async def get(self, owner_id: UserId, task_id: TaskId) -> Task | None:
        parameters = {"task_id": task_id, "owner_id": owner_id}
        row = (await execute(self._connection, _GET, parameters)).mappings().one_or_none()
        return None if row is None else to_task(row)

    async def list(self, query: TaskQuery) -> Page[Task]:
        dialect = self._connection.dialect.name
        statement = task_listing(query, dialect=dialect)
        window, keyset = query.window, task_keyset(query)
        return await fetch_page(self._connection, statement, window, to_task, keyset)

    async def update(
        self,
        owner_id: UserId,
        task_id: TaskId,
        changes: TaskChanges,
        expected_version: int | None = None,
    ) -> Task | None:
        values = changes.as_dict()
        if "priority" in values:
            values["priority"] = str(values["priority"])
        # The increment happens in the row itself, so concurrent writers never lose one;
        # the version predicate makes a stale If-Match match no row.
        statement = (
            update(tasks)
            .where(*_target(owner_id, task_id, expected_version))
            .values(**values, **revision(tasks.c.version, datetime.now(UTC)))
            .returning(*tasks.c)
        )
        row = (await execute(self._connection, statement)).mappings().one_or_none()
        return None if row is None else to_task(row)

    async def delete(
        self, owner_id: UserId, task_id: TaskId, expected_version: int | None = None
    ) -> bool:
        statement = (
            delete(tasks).where(*_target(owner_id, task_id, expected_version)).returning(tasks.c.id)
        )
        return (await execute(self._connection, statement)).scalar_one_or_none() is not None

    async def detach_category(self, owner_id: UserId, category_id: CategoryId) -> int:
        statement = (
            update(tasks)
            .where(tasks.c.user_id == owner_id, tasks.c.category_id == category_id)
            .values(category_id=None, **revision(tasks.c.version, datetime.now(UTC)))
            .returning(tasks.c.id)
        )
        return len((await execute(self._connection, statement)).all())

    async def mark_processed(self, owner_id: UserId, task_ids: Sequence[TaskId]) -> set[TaskId]:
        if not task_ids:
            return set()
        now = datetime.now(UTC)
        statement = (
            update(tasks)
            .where(tasks.c.user_id == owner_id, tasks.c.id.in_(list(task_ids)))
            .values(**processing(now), **revision(tasks.c.version, now))
            .returning(tasks.c.id)
        )
        return {TaskId(i) for i in (await execute(self._connection, statement)).scalars()}
