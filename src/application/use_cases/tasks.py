"""Task use cases. Every query is scoped to the caller; writes honour ``If-Match``."""

from typing import NoReturn

from application.dto import CreateTaskCommand
from application.use_cases.task_creation import add_task, require_own_category
from domain.errors import NotFoundError, PreconditionFailedError
from domain.ids import TaskId, UserId
from domain.paging import Page
from domain.task import Task, TaskChanges
from domain.task_query import TaskQuery
from domain.unit_of_work import UnitOfWork
from domain.unset import UNSET

TASK_NOT_FOUND = "task not found"
STALE_VERSION = "the task has changed: If-Match does not match its current version"


async def create_task(uow: UnitOfWork, owner_id: UserId, command: CreateTaskCommand) -> Task:
    """Create a task; with an inline ``category`` both are created or neither."""
    async with uow:
        task = await add_task(uow, owner_id, command)
        await uow.commit()
    return task


async def get_task(uow: UnitOfWork, owner_id: UserId, task_id: TaskId) -> Task:
    """One of the caller's tasks."""
    async with uow.reading():
        task = await uow.tasks.get(owner_id, task_id)
    if task is None:
        raise NotFoundError(TASK_NOT_FOUND)
    return task


async def list_tasks(uow: UnitOfWork, query: TaskQuery) -> Page[Task]:
    """A filtered, sorted page of the caller's tasks."""
    async with uow.reading():
        return await uow.tasks.list(query)


async def update_task(
    uow: UnitOfWork,
    owner_id: UserId,
    task_id: TaskId,
    changes: TaskChanges,
    expected_version: int | None = None,
) -> Task:
    """Apply a partial update. With ``expected_version`` it applies only to that version
    (``PreconditionFailedError`` otherwise); either way the version grows by exactly one.
    An empty change writes nothing and returns the task as it is.
    """
    async with uow:
        if not changes.as_dict():
            task = await uow.tasks.get(owner_id, task_id)
            if task is None:
                raise NotFoundError(TASK_NOT_FOUND)
            if expected_version not in (None, task.version):
                raise PreconditionFailedError(STALE_VERSION)
            return task
        task = await uow.tasks.update(owner_id, task_id, changes, expected_version)
        if task is None:
            await _raise_absent_or_stale(uow, owner_id, task_id)
        if changes.category_id is not UNSET and changes.category_id is not None:
            # Checked after the update found the task, so another user's task stays a 404;
            # raising here rolls the update back.
            await require_own_category(uow, owner_id, changes.category_id)
        await uow.commit()
    return task


async def delete_task(
    uow: UnitOfWork, owner_id: UserId, task_id: TaskId, expected_version: int | None = None
) -> None:
    """Delete a task (only at ``expected_version`` when given)."""
    async with uow:
        if not await uow.tasks.delete(owner_id, task_id, expected_version):
            await _raise_absent_or_stale(uow, owner_id, task_id)
        await uow.commit()


async def _raise_absent_or_stale(uow: UnitOfWork, owner_id: UserId, task_id: TaskId) -> NoReturn:
    # Only on the failure path: tell a missing task from a stale version.
    if await uow.tasks.get(owner_id, task_id) is None:
        raise NotFoundError(TASK_NOT_FOUND)
    raise PreconditionFailedError(STALE_VERSION)
