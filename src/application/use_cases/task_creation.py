"""Creating one task inside an open unit of work: shared by single and bulk creation."""

from dataclasses import replace

from application.dto import CreateCategoryCommand, CreateTaskCommand
from domain.category import NewCategory
from domain.errors import FieldProblem, InvalidInputError
from domain.ids import CategoryId, UserId
from domain.task import NewTask, Task, not_your_category
from domain.unit_of_work import UnitOfWork


def task_draft(owner_id: UserId, command: CreateTaskCommand) -> NewTask:
    """The validated task, before its inline category (if any) exists."""
    if command.category_id is not None and command.category is not None:
        raise InvalidInputError.for_field("category", "give category_id or category, not both")
    return command.draft(owner_id)


def inline_category(owner_id: UserId, command: CreateCategoryCommand) -> NewCategory:
    """The task's inline category; its problems are named as the client nested them."""
    try:
        return command.draft(owner_id)
    except InvalidInputError as error:
        problems = tuple(FieldProblem(f"category.{p.field}", p.message) for p in error.problems)
        raise InvalidInputError(f"category.{error.detail}", problems) from error


async def require_own_category(uow: UnitOfWork, owner_id: UserId, category_id: CategoryId) -> None:
    """A task may only point at one of its owner's categories (400, not 404: the task's
    input is what is wrong).
    """
    if await uow.categories.get(owner_id, category_id) is None:
        raise not_your_category()


async def add_task(uow: UnitOfWork, owner_id: UserId, command: CreateTaskCommand) -> Task:
    """Store the task, and first its inline category; the caller commits."""
    draft = task_draft(owner_id, command)
    if command.category is not None:
        category = await uow.categories.add(inline_category(owner_id, command.category))
        draft = replace(draft, category_id=category.id)
    elif draft.category_id is not None:
        await require_own_category(uow, owner_id, draft.category_id)
    return await uow.tasks.add(draft)
