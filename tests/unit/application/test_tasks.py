"""Task use cases: creation rules, optimistic concurrency, scoping to the caller."""

import pytest

from application.dto import CreateCategoryCommand, CreateTaskCommand
from application.use_cases.categories import create_category, list_categories
from application.use_cases.tasks import (
    create_task,
    delete_task,
    get_task,
    list_tasks,
    update_task,
)
from domain.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PreconditionFailedError,
)
from domain.ids import TaskId
from domain.paging import PageWindow
from domain.task import Priority, TaskChanges
from domain.task_query import TaskQuery
from domain.user import User
from infrastructure.persistence.memory import InMemoryUnitOfWork

pytestmark = pytest.mark.asyncio


def fields_of(error: InvalidInputError) -> list[str]:
    return [problem.field for problem in error.problems]


async def task_count(uow: InMemoryUnitOfWork, user: User) -> int:
    return (await list_tasks(uow, TaskQuery(user.id))).total


async def test_create_then_get(uow: InMemoryUnitOfWork, alice: User) -> None:
    task = await create_task(uow, alice.id, CreateTaskCommand("Write", priority=Priority.HIGH))
    assert (task.title, task.priority, task.version, task.category_id) == (
        "Write",
        Priority.HIGH,
        1,
        None,
    )
    assert await get_task(uow, alice.id, task.id) == task


async def test_create_in_an_own_category(uow: InMemoryUnitOfWork, alice: User) -> None:
    work = await create_category(uow, alice.id, CreateCategoryCommand("Work"))
    task = await create_task(uow, alice.id, CreateTaskCommand("t", category_id=work.id))
    assert task.category_id == work.id


async def test_create_with_an_inline_category_creates_both(
    uow: InMemoryUnitOfWork, alice: User
) -> None:
    command = CreateTaskCommand("t", category=CreateCategoryCommand("Errands", "#00FF00"))
    task = await create_task(uow, alice.id, command)
    [category] = (await list_categories(uow, alice.id, PageWindow())).items
    assert (category.name, category.color) == ("Errands", "#00ff00")
    assert task.category_id == category.id


async def test_inline_category_with_a_taken_name_creates_neither(
    uow: InMemoryUnitOfWork, alice: User
) -> None:
    await create_category(uow, alice.id, CreateCategoryCommand("Errands"))
    command = CreateTaskCommand("t", category=CreateCategoryCommand("ERRANDS"))
    with pytest.raises(ConflictError):
        await create_task(uow, alice.id, command)
    assert await task_count(uow, alice) == 0
    assert (await list_categories(uow, alice.id, PageWindow())).total == 1


async def test_category_id_of_another_user_is_invalid_input(
    uow: InMemoryUnitOfWork, alice: User, bob: User
) -> None:
    bobs = await create_category(uow, bob.id, CreateCategoryCommand("Bob's"))
    with pytest.raises(InvalidInputError) as raised:
        await create_task(uow, alice.id, CreateTaskCommand("t", category_id=bobs.id))
    assert fields_of(raised.value) == ["category_id"]
    assert await task_count(uow, alice) == 0


async def test_category_id_and_inline_category_together_are_invalid(
    uow: InMemoryUnitOfWork, alice: User
) -> None:
    work = await create_category(uow, alice.id, CreateCategoryCommand("Work"))
    command = CreateTaskCommand("t", category_id=work.id, category=CreateCategoryCommand("New"))
    with pytest.raises(InvalidInputError) as raised:
        await create_task(uow, alice.id, command)
    assert fields_of(raised.value) == ["category"]
    assert await task_count(uow, alice) == 0
    assert (await list_categories(uow, alice.id, PageWindow())).total == 1


async def test_others_tasks_are_not_found(uow: InMemoryUnitOfWork, alice: User, bob: User) -> None:
    task = await create_task(uow, alice.id, CreateTaskCommand("mine"))
    with pytest.raises(NotFoundError):
        await get_task(uow, bob.id, task.id)
    with pytest.raises(NotFoundError):
        await update_task(uow, bob.id, task.id, TaskChanges(title="stolen"))
    with pytest.raises(NotFoundError):
        await update_task(uow, bob.id, task.id, TaskChanges())
    with pytest.raises(NotFoundError):
        await delete_task(uow, bob.id, task.id)
    assert (await list_tasks(uow, TaskQuery(bob.id))).total == 0
    assert await get_task(uow, alice.id, task.id) == task


async def test_update_at_the_matching_version(uow: InMemoryUnitOfWork, alice: User) -> None:
    task = await create_task(uow, alice.id, CreateTaskCommand("draft"))
    updated = await update_task(uow, alice.id, task.id, TaskChanges(completed=True), 1)
    assert (updated.completed, updated.version) == (True, 2)
    again = await update_task(uow, alice.id, task.id, TaskChanges(title="final"))
    assert (again.title, again.completed, again.version) == ("final", True, 3)


async def test_update_at_a_stale_version_fails_and_changes_nothing(
    uow: InMemoryUnitOfWork, alice: User
) -> None:
    task = await create_task(uow, alice.id, CreateTaskCommand("draft"))
    await update_task(uow, alice.id, task.id, TaskChanges(completed=True))
    with pytest.raises(PreconditionFailedError):
        await update_task(uow, alice.id, task.id, TaskChanges(title="lost"), 1)
    stored = await get_task(uow, alice.id, task.id)
    assert (stored.title, stored.version) == ("draft", 2)


async def test_empty_update_writes_nothing(uow: InMemoryUnitOfWork, alice: User) -> None:
    task = await create_task(uow, alice.id, CreateTaskCommand("draft"))
    assert await update_task(uow, alice.id, task.id, TaskChanges()) == task
    assert await update_task(uow, alice.id, task.id, TaskChanges(), 1) == task
    with pytest.raises(PreconditionFailedError):
        await update_task(uow, alice.id, task.id, TaskChanges(), 7)
    with pytest.raises(NotFoundError):
        await update_task(uow, alice.id, TaskId(task.id + 1), TaskChanges())
    assert await get_task(uow, alice.id, task.id) == task


async def test_update_into_another_users_category_is_invalid(
    uow: InMemoryUnitOfWork, alice: User, bob: User
) -> None:
    bobs = await create_category(uow, bob.id, CreateCategoryCommand("Bob's"))
    task = await create_task(uow, alice.id, CreateTaskCommand("t"))
    with pytest.raises(InvalidInputError) as raised:
        await update_task(uow, alice.id, task.id, TaskChanges(category_id=bobs.id))
    assert fields_of(raised.value) == ["category_id"]
    assert await get_task(uow, alice.id, task.id) == task


async def test_delete_task(uow: InMemoryUnitOfWork, alice: User) -> None:
    task = await create_task(uow, alice.id, CreateTaskCommand("t"))
    with pytest.raises(PreconditionFailedError):
        await delete_task(uow, alice.id, task.id, expected_version=2)
    assert await get_task(uow, alice.id, task.id) == task
    await delete_task(uow, alice.id, task.id, expected_version=1)
    with pytest.raises(NotFoundError):
        await get_task(uow, alice.id, task.id)
    with pytest.raises(NotFoundError):
        await delete_task(uow, alice.id, task.id)
