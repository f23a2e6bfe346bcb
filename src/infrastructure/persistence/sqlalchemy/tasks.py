"""Tasks stored with Core statements: one round trip per call, versions bumped in SQL."""

import functools
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.ids import CategoryId, TaskId, UserId
from domain.paging import Page
from domain.task import (
    FirstState,
    NewTask,
    Task,
    TaskChanges,
    first_state,
    processing,
    revision,
)
from domain.task_query import TaskQuery
from infrastructure.persistence.sqlalchemy.direct import Prepared, fetch_rows
from infrastructure.persistence.sqlalchemy.execution import execute
from infrastructure.persistence.sqlalchemy.mapping import to_task
from infrastructure.persistence.sqlalchemy.paging import fetch_page
from infrastructure.persistence.sqlalchemy.records import tasks
from infrastructure.persistence.sqlalchemy.task_listing import task_keyset, task_listing


def _target(*, guarded: bool) -> list[ColumnElement[bool]]:
    """The owner's task ``task_id``; when ``guarded``, only at ``expected_version``."""
    conditions = [tasks.c.id == bindparam("task_id"), tasks.c.user_id == bindparam("owner_id")]
    if guarded:
        conditions.append(tasks.c.version == bindparam("expected_version"))
    return conditions


def _targeted(owner_id: UserId, task_id: TaskId, expected_version: int | None) -> dict[str, Any]:
    return {"task_id": task_id, "owner_id": owner_id, "expected_version": expected_version}


# Built once, values bound per call: the hot statements skip statement construction and
# cache-key generation.
_GET = Prepared(select(tasks).where(*_target(guarded=False)))
# What an insert writes: the draft's columns and the domain's first state.
_ADDED = (
    "user_id",
    "title",
    "description",
    "priority",
    "due_at",
    "category_id",
    *FirstState.__required_keys__,
)
_ADD = Prepared(
    insert(tasks).values({name: bindparam(name) for name in _ADDED}).returning(*tasks.c)
)
# The domain's revision with its time left as a parameter, so the statement is built once.
_NOW = cast(datetime, bindparam("now", type_=tasks.c.updated_at.type))


@functools.lru_cache(maxsize=256)
def _update(fields: frozenset[str], guarded: bool) -> Prepared:
    """The UPDATE of ``fields`` (bound as ``new_<field>``), by version when ``guarded``."""
    values: dict[str, Any] = {name: bindparam(f"new_{name}") for name in sorted(fields)}
    statement = (
        update(tasks)
        .where(*_target(guarded=guarded))
        .values(**values, **revision(tasks.c.version, _NOW))
        .returning(*tasks.c)
    )
    return Prepared(statement)


class SqlAlchemyTaskRepository:
    """``TaskRepository`` on an ``AsyncConnection``; every statement is scoped by owner."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, task: NewTask) -> Task:
        values = {
            "user_id": task.owner_id,
            "title": task.title,
            "description": task.description,
            "priority": task.priority.value,
            "due_at": task.due_at,
            "category_id": task.category_id,
            **first_state(datetime.now(UTC)),
        }
        (row,) = await fetch_rows(self._connection, _ADD, values)
        return to_task(row)

    async def get(self, owner_id: UserId, task_id: TaskId) -> Task | None:
        rows = await fetch_rows(self._connection, _GET, _targeted(owner_id, task_id, None))
        return to_task(rows[0]) if rows else None

    async def list(self, query: TaskQuery) -> Page[Task]:
        dialect = self._connection.dialect.name
        listing, values = task_listing(query, dialect=dialect)
        window, keyset = query.window, task_keyset(query)
        return await fetch_page(self._connection, listing, window, to_task, keyset, values)

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
        statement = _update(frozenset(values), expected_version is not None)
        parameters: dict[str, object] = {f"new_{name}": value for name, value in values.items()}
        parameters.update(_targeted(owner_id, task_id, expected_version), now=datetime.now(UTC))
        rows = await fetch_rows(self._connection, statement, parameters)
        return to_task(rows[0]) if rows else None

    async def delete(
        self, owner_id: UserId, task_id: TaskId, expected_version: int | None = None
    ) -> bool:
        guarded = expected_version is not None
        statement = delete(tasks).where(*_target(guarded=guarded)).returning(tasks.c.id)
        parameters = _targeted(owner_id, task_id, expected_version)
        found = await execute(self._connection, statement, parameters)
        return found.scalar_one_or_none() is not None

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
