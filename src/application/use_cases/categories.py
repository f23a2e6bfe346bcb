"""Category use cases. Every query is scoped to the caller, so others' ids are 404."""

from application.dto import CreateCategoryCommand
from domain.category import Category, CategoryChanges
from domain.errors import NotFoundError
from domain.ids import CategoryId, UserId
from domain.paging import Page, PageWindow
from domain.unit_of_work import UnitOfWork

CATEGORY_NOT_FOUND = "category not found"


async def create_category(
    uow: UnitOfWork, owner_id: UserId, command: CreateCategoryCommand
) -> Category:
    """Create a category; ``ConflictError`` when the caller has that name in any case."""
    draft = command.draft(owner_id)
    async with uow:
        category = await uow.categories.add(draft)
        await uow.commit()
    return category


async def add_category(
    uow: UnitOfWork, owner_id: UserId, command: CreateCategoryCommand
) -> Category:
    """``create_category``'s write inside an open unit of work; the caller commits."""
    return await uow.categories.add(command.draft(owner_id))


async def list_categories(uow: UnitOfWork, owner_id: UserId, window: PageWindow) -> Page[Category]:
    """A page of the caller's categories in creation order."""
    async with uow.reading():
        return await uow.categories.list(owner_id, window)


async def get_category(uow: UnitOfWork, owner_id: UserId, category_id: CategoryId) -> Category:
    """One of the caller's categories."""
    async with uow.reading():
        category = await uow.categories.get(owner_id, category_id)
    if category is None:
        raise NotFoundError(CATEGORY_NOT_FOUND)
    return category


async def update_category(
    uow: UnitOfWork, owner_id: UserId, category_id: CategoryId, changes: CategoryChanges
) -> Category:
    """Rename or recolour a category; an empty change returns it as it is."""
    async with uow:
        if changes.as_dict():
            category = await uow.categories.update(owner_id, category_id, changes)
            await uow.commit()
        else:
            category = await uow.categories.get(owner_id, category_id)
    if category is None:
        raise NotFoundError(CATEGORY_NOT_FOUND)
    return category


async def delete_category(uow: UnitOfWork, owner_id: UserId, category_id: CategoryId) -> None:
    """Delete a category; its tasks stay, uncategorised (each one's version grows)."""
    async with uow:
        await uow.tasks.detach_category(owner_id, category_id)
        if not await uow.categories.delete(owner_id, category_id):
            raise NotFoundError(CATEGORY_NOT_FOUND)
        await uow.commit()
