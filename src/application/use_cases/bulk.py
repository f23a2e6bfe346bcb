"""Creating many tasks in one request, all-or-nothing or item by item."""

from collections.abc import Sequence
from dataclasses import dataclass

from application.dto import CreateTaskCommand
from application.use_cases.task_creation import add_task
from domain.errors import ConflictError, InvalidInputError, ItemFailedError
from domain.ids import UserId
from domain.task import Task
from domain.unit_of_work import UnitOfWork

MAX_BULK_ITEMS = 1000

# What one item can do wrong. Anything else (the store being down, say) fails the
# whole request, whatever the mode.
ITEM_ERRORS = (InvalidInputError, ConflictError)

BulkItem = CreateTaskCommand | InvalidInputError
"""An item as decoded: a command, or the reason it could not even be read."""


@dataclass(frozen=True, slots=True)
class BulkOutcome:
    """The tasks created, in item order, and the items that failed."""

    created: list[Task]
    errors: list[ItemFailedError]


async def bulk_create_tasks(
    uow: UnitOfWork, owner_id: UserId, items: Sequence[BulkItem], *, atomic: bool
) -> BulkOutcome:
    """Create tasks from ``items``. Non-atomic: each item in its own savepoint; failed
    items leave nothing behind and are reported. Atomic: the first failure raises
    ``ItemFailedError`` and nothing is created.
    """
    async with uow:
        outcome = await add_many(uow, owner_id, items, atomic=atomic)
        await uow.commit()
    return outcome


async def add_many(
    uow: UnitOfWork, owner_id: UserId, items: Sequence[BulkItem], *, atomic: bool
) -> BulkOutcome:
    """``bulk_create_tasks``'s writes inside an open unit of work; the caller commits."""
    if not 1 <= len(items) <= MAX_BULK_ITEMS:
        raise InvalidInputError.for_field("items", f"must hold 1 to {MAX_BULK_ITEMS} items")
    created: list[Task] = []
    errors: list[ItemFailedError] = []
    for index, item in enumerate(items):
        try:
            if isinstance(item, InvalidInputError):
                raise item
            if atomic:
                created.append(await add_task(uow, owner_id, item))
            else:
                async with uow.savepoint():
                    created.append(await add_task(uow, owner_id, item))
        except ITEM_ERRORS as error:
            if atomic:
                raise ItemFailedError(index, error) from error
            errors.append(ItemFailedError(index, error))
    return BulkOutcome(created, errors)
