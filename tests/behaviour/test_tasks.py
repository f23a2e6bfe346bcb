"""Tasks: CRUD scoped by owner, versions that grow by one, optimistic concurrency."""

from datetime import UTC, datetime

import pytest

from domain.errors import InvalidInputError
from domain.ids import CategoryId, TaskId
from domain.task import NewTask, Priority, TaskChanges
from domain.task_query import TaskQuery
from domain.user import User
from tests.behaviour.support import UowFactory, add_category, add_task

pytestmark = pytest.mark.asyncio


async def test_task_round_trips_at_version_one(uow_factory: UowFactory, alice: User) -> None:
    work = await add_category(uow_factory, alice, "Work")
    due = datetime(2030, 1, 2, 3, 4, 5, 600_000, tzinfo=UTC)
    draft = NewTask(alice.id, "Write", "the report", Priority.HIGH, due, work.id)
    async with uow_factory() as uow:
        added = await uow.tasks.add(draft)
        await uow.commit()
    assert (added.owner_id, added.title, added.description) == (alice.id, "Write", "the report")
    assert (added.priority, added.due_at, added.category_id) == (Priority.HIGH, due, work.id)
    assert (added.completed, added.processed, added.processed_at) == (False, False, None)
    assert added.version == 1
    assert added.created_at == added.updated_at
    async with uow_factory() as uow:
        assert await uow.tasks.get(alice.id, added.id) == added


async def test_task_ids_increase(uow_factory: UowFactory, alice: User) -> None:
    ids = [(await add_task(uow_factory, alice)).id for _ in range(3)]
    assert ids == sorted(ids)
    assert len(set(ids)) == 3
    assert all(isinstance(task_id, int) and task_id >= 1 for task_id in ids)


async def test_each_update_bumps_the_version_by_one(uow_factory: UowFactory, alice: User) -> None:
    task = await add_task(uow_factory, alice, "draft")
    for expected, changes in enumerate(
        [TaskChanges(title="final"), TaskChanges(completed=True), TaskChanges(due_at=None)],
        start=2,
    ):
        async with uow_factory() as uow:
            updated = await uow.tasks.update(alice.id, task.id, changes)
            await uow.commit()
        assert updated is not None
        assert updated.version == expected
    async with uow_factory() as uow:
        stored = await uow.tasks.get(alice.id, task.id)
    assert stored is not None
    assert (stored.title, stored.completed, stored.version) == ("final", True, 4)
    assert stored.created_at == task.created_at
    assert stored.updated_at >= task.updated_at


async def test_update_sets_and_clears_fields(uow_factory: UowFactory, alice: User) -> None:
    work = await add_category(uow_factory, alice, "Work")
    task = await add_task(uow_factory, alice, "draft")
    due = datetime(2031, 5, 6, 7, 8, tzinfo=UTC)
    changes = TaskChanges(
        description="more", priority=Priority.LOW, due_at=due, category_id=work.id
    )
    async with uow_factory() as uow:
        updated = await uow.tasks.update(alice.id, task.id, changes)
        await uow.commit()
    assert updated is not None
    assert (updated.title, updated.description, updated.priority) == ("draft", "more", "low")
    assert (updated.due_at, updated.category_id) == (due, work.id)
    cleared = TaskChanges(description=None, due_at=None, category_id=None)
    async with uow_factory() as uow:
        updated = await uow.tasks.update(alice.id, task.id, cleared)
        await uow.commit()
    assert updated is not None
    assert (updated.description, updated.due_at, updated.category_id) == (None, None, None)
    assert updated.version == 3


async def test_update_at_the_expected_version_applies(uow_factory: UowFactory, alice: User) -> None:
    task = await add_task(uow_factory, alice)
    async with uow_factory() as uow:
        updated = await uow.tasks.update(alice.id, task.id, TaskChanges(title="b"), 1)
        await uow.commit()
    assert updated is not None
    assert (updated.title, updated.version) == ("b", 2)


async def test_update_at_a_stale_version_changes_nothing(
    uow_factory: UowFactory, alice: User
) -> None:
    task = await add_task(uow_factory, alice, "original")
    async with uow_factory() as uow:
        await uow.tasks.update(alice.id, task.id, TaskChanges(completed=True))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.tasks.update(alice.id, task.id, TaskChanges(title="lost"), 1) is None
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.tasks.get(alice.id, task.id)
    assert stored is not None
    assert (stored.title, stored.completed, stored.version) == ("original", True, 2)


async def test_delete_removes_the_task(uow_factory: UowFactory, alice: User) -> None:
    task = await add_task(uow_factory, alice)
    async with uow_factory() as uow:
        assert await uow.tasks.delete(alice.id, task.id) is True
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.tasks.get(alice.id, task.id) is None
        assert await uow.tasks.delete(alice.id, task.id) is False


async def test_delete_at_a_stale_version_keeps_the_task(
    uow_factory: UowFactory, alice: User
) -> None:
    task = await add_task(uow_factory, alice)
    async with uow_factory() as uow:
        assert await uow.tasks.delete(alice.id, task.id, expected_version=2) is False
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.tasks.get(alice.id, task.id) == task
        assert await uow.tasks.delete(alice.id, task.id, expected_version=1) is True
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.tasks.get(alice.id, task.id) is None


async def test_others_tasks_are_invisible(uow_factory: UowFactory, alice: User, bob: User) -> None:
    task = await add_task(uow_factory, alice)
    async with uow_factory() as uow:
        assert await uow.tasks.get(bob.id, task.id) is None
        assert await uow.tasks.update(bob.id, task.id, TaskChanges(title="mine")) is None
        assert await uow.tasks.delete(bob.id, task.id) is False
        assert (await uow.tasks.list(TaskQuery(bob.id))).total == 0
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.tasks.get(alice.id, task.id) == task


async def test_unknown_task_is_none(uow_factory: UowFactory, alice: User) -> None:
    unknown = TaskId(999_999)
    async with uow_factory() as uow:
        assert await uow.tasks.get(alice.id, unknown) is None
        assert await uow.tasks.update(alice.id, unknown, TaskChanges(title="x")) is None
        assert await uow.tasks.delete(alice.id, unknown) is False


async def test_detach_category_clears_it_and_bumps_versions(
    uow_factory: UowFactory, alice: User, bob: User
) -> None:
    work = await add_category(uow_factory, alice, "Work")
    home = await add_category(uow_factory, alice, "Home")
    in_work = [await add_task(uow_factory, alice, category_id=work.id) for _ in range(2)]
    in_home = await add_task(uow_factory, alice, category_id=home.id)
    async with uow_factory() as uow:
        # Another owner's call touches nothing.
        assert await uow.tasks.detach_category(bob.id, work.id) == 0
        assert await uow.tasks.detach_category(alice.id, work.id) == 2
        await uow.commit()
    async with uow_factory() as uow:
        for task in in_work:
            detached = await uow.tasks.get(alice.id, task.id)
            assert detached is not None
            assert (detached.category_id, detached.version) == (None, 2)
        assert await uow.tasks.get(alice.id, in_home.id) == in_home


async def test_a_missing_category_is_invalid_input(uow_factory: UowFactory, alice: User) -> None:
    # The foreign key: a task can only point at an existing category.
    task = await add_task(uow_factory, alice)
    missing = CategoryId(999_999)
    async with uow_factory() as uow:
        with pytest.raises(InvalidInputError, match="category_id"):
            await uow.tasks.add(NewTask(alice.id, "t", category_id=missing))
    async with uow_factory() as uow:
        with pytest.raises(InvalidInputError, match="category_id"):
            await uow.tasks.update(alice.id, task.id, TaskChanges(category_id=missing))
    async with uow_factory() as uow:
        assert await uow.tasks.get(alice.id, task.id) == task
        assert (await uow.tasks.list(TaskQuery(alice.id))).total == 1
