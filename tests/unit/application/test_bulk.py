"""Bulk creation: all-or-nothing, or item by item with every failure reported."""

import pytest

from application.dto import CreateCategoryCommand, CreateTaskCommand
from application.use_cases.bulk import MAX_BULK_ITEMS, BulkItem, bulk_create_tasks
from application.use_cases.categories import create_category, list_categories
from application.use_cases.tasks import list_tasks
from domain.errors import ConflictError, InvalidInputError, ItemFailedError
from domain.paging import PageWindow
from domain.task_query import TaskQuery, TaskSort
from domain.user import User
from infrastructure.persistence.memory import InMemoryUnitOfWork

pytestmark = pytest.mark.asyncio


async def titles(uow: InMemoryUnitOfWork, user: User) -> list[str]:
    page = await list_tasks(uow, TaskQuery(user.id, sort=TaskSort.CREATED_AT))
    return [task.title for task in page.items]


async def category_names(uow: InMemoryUnitOfWork, user: User) -> list[str]:
    return [c.name for c in (await list_categories(uow, user.id, PageWindow())).items]


def unreadable(field: str) -> InvalidInputError:
    """An item the wire layer could not decode."""
    return InvalidInputError.for_field(field, "is not valid")


async def test_atomic_creates_every_item_in_order(uow: InMemoryUnitOfWork, alice: User) -> None:
    items: list[BulkItem] = [
        CreateTaskCommand("one"),
        CreateTaskCommand("two", category=CreateCategoryCommand("Inline")),
    ]
    outcome = await bulk_create_tasks(uow, alice.id, items, atomic=True)
    assert [task.title for task in outcome.created] == ["one", "two"]
    assert outcome.errors == []
    assert await titles(uow, alice) == ["one", "two"]
    assert await category_names(uow, alice) == ["Inline"]


async def test_atomic_failure_creates_nothing(uow: InMemoryUnitOfWork, alice: User) -> None:
    items: list[BulkItem] = [
        CreateTaskCommand("one", category=CreateCategoryCommand("Inline")),
        CreateTaskCommand("two"),
        unreadable("items[2].title"),
    ]
    with pytest.raises(ItemFailedError) as raised:
        await bulk_create_tasks(uow, alice.id, items, atomic=True)
    assert raised.value.index == 2
    assert isinstance(raised.value.cause, InvalidInputError)
    assert await titles(uow, alice) == []
    assert await category_names(uow, alice) == []


async def test_atomic_conflict_creates_nothing(uow: InMemoryUnitOfWork, alice: User) -> None:
    items: list[BulkItem] = [
        CreateTaskCommand("one", category=CreateCategoryCommand("Inline")),
        CreateTaskCommand("two", category=CreateCategoryCommand("INLINE")),
    ]
    with pytest.raises(ItemFailedError) as raised:
        await bulk_create_tasks(uow, alice.id, items, atomic=True)
    assert raised.value.index == 1
    assert isinstance(raised.value.cause, ConflictError)
    assert "item 1" in raised.value.detail
    assert await titles(uow, alice) == []
    assert await category_names(uow, alice) == []


async def test_non_atomic_keeps_the_valid_items_and_reports_the_rest(
    uow: InMemoryUnitOfWork, alice: User, bob: User
) -> None:
    await create_category(uow, alice.id, CreateCategoryCommand("Work"))
    bobs = await create_category(uow, bob.id, CreateCategoryCommand("Bob's"))
    items: list[BulkItem] = [
        CreateTaskCommand("ok 0"),
        unreadable("items[1].priority"),
        CreateTaskCommand("taken name", category=CreateCategoryCommand("work")),
        CreateTaskCommand("ok 3", category=CreateCategoryCommand("Errands")),
        CreateTaskCommand("same inline again", category=CreateCategoryCommand("errands")),
        CreateTaskCommand("bob's category", category_id=bobs.id),
        CreateTaskCommand("both", category_id=bobs.id, category=CreateCategoryCommand("New")),
        CreateTaskCommand("ok 7"),
    ]
    outcome = await bulk_create_tasks(uow, alice.id, items, atomic=False)
    assert [task.title for task in outcome.created] == ["ok 0", "ok 3", "ok 7"]
    reported = [(error.index, type(error.cause)) for error in outcome.errors]
    assert reported == [
        (1, InvalidInputError),
        (2, ConflictError),
        (4, ConflictError),
        (5, InvalidInputError),
        (6, InvalidInputError),
    ]
    # Nothing of a failed item remains: no task, no half-made category.
    assert await titles(uow, alice) == ["ok 0", "ok 3", "ok 7"]
    assert await category_names(uow, alice) == ["Work", "Errands"]
    assert await titles(uow, bob) == []


@pytest.mark.parametrize("count", [0, MAX_BULK_ITEMS + 1])
async def test_item_count_is_bounded(uow: InMemoryUnitOfWork, alice: User, count: int) -> None:
    items: list[BulkItem] = [CreateTaskCommand("t")] * count
    with pytest.raises(InvalidInputError):
        await bulk_create_tasks(uow, alice.id, items, atomic=False)
    assert await titles(uow, alice) == []
