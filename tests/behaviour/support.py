"""Helpers of the behaviour suite: committed users, categories and tasks."""

from collections.abc import Callable
from datetime import datetime

from domain.category import Category, NewCategory
from domain.ids import CategoryId
from domain.task import NewTask, Priority, Task
from domain.unit_of_work import UnitOfWork
from domain.user import NewUser, User

UowFactory = Callable[[], UnitOfWork]


async def add_user(uow_factory: UowFactory, email: str) -> User:
    """A committed user."""
    uow = uow_factory()
    async with uow:
        user = await uow.users.add(NewUser(email, "not-a-real-hash"))
        await uow.commit()
    return user


async def add_category(uow_factory: UowFactory, owner: User, name: str) -> Category:
    """A committed category."""
    uow = uow_factory()
    async with uow:
        category = await uow.categories.add(NewCategory(owner.id, name))
        await uow.commit()
    return category


async def add_task(
    uow_factory: UowFactory,
    owner: User,
    title: str = "a task",
    *,
    priority: Priority = Priority.MEDIUM,
    due_at: datetime | None = None,
    category_id: CategoryId | None = None,
) -> Task:
    """A committed task."""
    uow = uow_factory()
    async with uow:
        task = await uow.tasks.add(
            NewTask(owner.id, title, priority=priority, due_at=due_at, category_id=category_id)
        )
        await uow.commit()
    return task
