"""Category use cases: CRUD scoped to the caller, names unique per caller."""

import pytest

from application.dto import CreateCategoryCommand, CreateTaskCommand
from application.use_cases.categories import (
    create_category,
    delete_category,
    get_category,
    list_categories,
    update_category,
)
from application.use_cases.tasks import create_task, get_task
from domain.category import CategoryChanges
from domain.errors import ConflictError, InvalidInputError, NotFoundError
from domain.ids import CategoryId
from domain.paging import PageWindow
from domain.user import User
from infrastructure.persistence.memory import InMemoryUnitOfWork

pytestmark = pytest.mark.asyncio


async def test_create_then_get(uow: InMemoryUnitOfWork, alice: User) -> None:
    created = await create_category(uow, alice.id, CreateCategoryCommand("Work", "#ABCDEF"))
    assert (created.name, created.color) == ("Work", "#abcdef")
    assert await get_category(uow, alice.id, created.id) == created


async def test_create_with_a_taken_name_conflicts(
    uow: InMemoryUnitOfWork, alice: User, bob: User
) -> None:
    await create_category(uow, alice.id, CreateCategoryCommand("Work"))
    with pytest.raises(ConflictError):
        await create_category(uow, alice.id, CreateCategoryCommand("work"))
    assert (await create_category(uow, bob.id, CreateCategoryCommand("work"))).name == "work"
    assert (await list_categories(uow, alice.id, PageWindow())).total == 1


async def test_create_refuses_a_bad_colour(uow: InMemoryUnitOfWork, alice: User) -> None:
    with pytest.raises(InvalidInputError):
        await create_category(uow, alice.id, CreateCategoryCommand("Work", "red"))
    assert (await list_categories(uow, alice.id, PageWindow())).total == 0


async def test_list_pages_the_callers_categories(
    uow: InMemoryUnitOfWork, alice: User, bob: User
) -> None:
    for name in ["a", "b", "c"]:
        await create_category(uow, alice.id, CreateCategoryCommand(name))
    await create_category(uow, bob.id, CreateCategoryCommand("z"))
    page = await list_categories(uow, alice.id, PageWindow(limit=2, offset=1))
    assert ([c.name for c in page.items], page.total) == (["b", "c"], 3)


async def test_others_categories_are_not_found(
    uow: InMemoryUnitOfWork, alice: User, bob: User
) -> None:
    mine = await create_category(uow, alice.id, CreateCategoryCommand("Work"))
    with pytest.raises(NotFoundError):
        await get_category(uow, bob.id, mine.id)
    with pytest.raises(NotFoundError):
        await update_category(uow, bob.id, mine.id, CategoryChanges(name="Stolen"))
    with pytest.raises(NotFoundError):
        await update_category(uow, bob.id, mine.id, CategoryChanges())
    with pytest.raises(NotFoundError):
        await delete_category(uow, bob.id, mine.id)
    with pytest.raises(NotFoundError):
        await get_category(uow, alice.id, CategoryId(mine.id + 1))
    assert await get_category(uow, alice.id, mine.id) == mine


async def test_update_renames_and_recolours(uow: InMemoryUnitOfWork, alice: User) -> None:
    created = await create_category(uow, alice.id, CreateCategoryCommand("Work", "#000000"))
    updated = await update_category(
        uow, alice.id, created.id, CategoryChanges(name="Job", color="#FFFFFF")
    )
    assert (updated.name, updated.color) == ("Job", "#ffffff")
    assert await get_category(uow, alice.id, created.id) == updated


async def test_empty_update_returns_the_category_unchanged(
    uow: InMemoryUnitOfWork, alice: User
) -> None:
    created = await create_category(uow, alice.id, CreateCategoryCommand("Work"))
    assert await update_category(uow, alice.id, created.id, CategoryChanges()) == created


async def test_rename_to_a_taken_name_conflicts(uow: InMemoryUnitOfWork, alice: User) -> None:
    await create_category(uow, alice.id, CreateCategoryCommand("Work"))
    home = await create_category(uow, alice.id, CreateCategoryCommand("Home"))
    with pytest.raises(ConflictError):
        await update_category(uow, alice.id, home.id, CategoryChanges(name="WORK"))
    assert await get_category(uow, alice.id, home.id) == home


async def test_delete_keeps_its_tasks_uncategorised(uow: InMemoryUnitOfWork, alice: User) -> None:
    work = await create_category(uow, alice.id, CreateCategoryCommand("Work"))
    task = await create_task(uow, alice.id, CreateTaskCommand("t", category_id=work.id))
    await delete_category(uow, alice.id, work.id)
    with pytest.raises(NotFoundError):
        await get_category(uow, alice.id, work.id)
    kept = await get_task(uow, alice.id, task.id)
    assert (kept.category_id, kept.version) == (None, 2)
    with pytest.raises(NotFoundError):
        await delete_category(uow, alice.id, work.id)
