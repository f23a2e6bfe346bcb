"""Marking tasks processed: only the owner's, each once, versions bumped."""

import pytest

from domain.ids import MAX_ID, TaskId
from domain.user import User
from tests.behaviour.support import UowFactory, add_task

pytestmark = pytest.mark.asyncio


async def test_marks_only_the_owners_tasks(uow_factory: UowFactory, alice: User, bob: User) -> None:
    first = await add_task(uow_factory, alice, "first")
    second = await add_task(uow_factory, alice, "second")
    untouched = await add_task(uow_factory, alice, "untouched")
    foreign = await add_task(uow_factory, bob, "bob's")
    listed = [first.id, foreign.id, TaskId(foreign.id + 100), second.id, TaskId(MAX_ID)]
    async with uow_factory() as uow:
        marked = await uow.tasks.mark_processed(alice.id, listed)
        await uow.commit()
    assert marked == {first.id, second.id}
    async with uow_factory() as uow:
        for task in (first, second):
            stored = await uow.tasks.get(alice.id, task.id)
            assert stored is not None
            assert (stored.processed, stored.version) == (True, 2)
            assert stored.processed_at is not None
            assert stored.processed_at >= task.created_at
            assert stored.updated_at == stored.processed_at
            assert (stored.title, stored.created_at) == (task.title, task.created_at)
        assert await uow.tasks.get(alice.id, untouched.id) == untouched
        assert await uow.tasks.get(bob.id, foreign.id) == foreign


async def test_nothing_listed_marks_nothing(uow_factory: UowFactory, alice: User) -> None:
    task = await add_task(uow_factory, alice)
    async with uow_factory() as uow:
        assert await uow.tasks.mark_processed(alice.id, []) == set()
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.tasks.get(alice.id, task.id) == task


async def test_an_id_listed_twice_is_marked_once(uow_factory: UowFactory, alice: User) -> None:
    task = await add_task(uow_factory, alice)
    async with uow_factory() as uow:
        assert await uow.tasks.mark_processed(alice.id, [task.id, task.id]) == {task.id}
        stored = await uow.tasks.get(alice.id, task.id)
    assert stored is not None
    assert stored.version == 2


async def test_marking_again_bumps_the_version_again(uow_factory: UowFactory, alice: User) -> None:
    task = await add_task(uow_factory, alice)
    for _ in range(2):
        async with uow_factory() as uow:
            assert await uow.tasks.mark_processed(alice.id, [task.id]) == {task.id}
            await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.tasks.get(alice.id, task.id)
    assert stored is not None
    assert (stored.processed, stored.version) == (True, 3)


async def test_rollback_undoes_the_marking(uow_factory: UowFactory, alice: User) -> None:
    task = await add_task(uow_factory, alice)
    async with uow_factory() as uow:
        assert await uow.tasks.mark_processed(alice.id, [task.id]) == {task.id}
    async with uow_factory() as uow:
        assert await uow.tasks.get(alice.id, task.id) == task
