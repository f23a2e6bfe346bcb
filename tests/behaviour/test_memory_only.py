"""What only the in-memory store must add: loud misuse, serialised units, no aliasing."""

import asyncio

import pytest

from domain.category import NewCategory
from domain.errors import ConflictError
from domain.ids import TaskId
from domain.paging import PageWindow
from domain.task import NewTask, TaskChanges
from domain.user import NewUser, User
from infrastructure.persistence.memory import (
    InMemoryDatabaseProbe,
    InMemoryStore,
    InMemoryUnitOfWork,
    TransactionStateError,
)

pytestmark = pytest.mark.asyncio


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


async def register(store: InMemoryStore) -> User:
    async with InMemoryUnitOfWork(store) as uow:
        user = await uow.users.add(NewUser("ann@example.com", "hash"))
        await uow.commit()
    return user


async def test_repositories_refuse_use_outside_the_block(store: InMemoryStore) -> None:
    uow = InMemoryUnitOfWork(store)
    with pytest.raises(TransactionStateError):
        await uow.users.get_by_email("ann@example.com")
    async with uow:
        pass
    with pytest.raises(TransactionStateError):
        await uow.users.get_by_email("ann@example.com")
    with pytest.raises(TransactionStateError):
        await uow.commit()


async def test_open_unit_cannot_be_entered_again(store: InMemoryStore) -> None:
    uow = InMemoryUnitOfWork(store)
    async with uow:
        with pytest.raises(TransactionStateError):
            await uow.__aenter__()


async def test_nested_units_in_one_task_fail_instead_of_hanging(store: InMemoryStore) -> None:
    async with InMemoryUnitOfWork(store):
        # asyncio.timeout, unlike wait_for, stays in this task: a hang would time out.
        async with asyncio.timeout(1):
            with pytest.raises(TransactionStateError):
                await InMemoryUnitOfWork(store).__aenter__()
    # The lock was released: a later unit enters.
    async with InMemoryUnitOfWork(store) as uow:
        assert await uow.users.get_by_email("ann@example.com") is None


async def test_concurrent_units_lose_no_update(store: InMemoryStore) -> None:
    owner = await register(store)
    async with InMemoryUnitOfWork(store) as uow:
        task = await uow.tasks.add(NewTask(owner.id, "counter"))
        await uow.commit()

    async def bump(task_id: TaskId) -> None:
        async with InMemoryUnitOfWork(store) as uow:
            current = await uow.tasks.get(owner.id, task_id)
            assert current is not None
            await asyncio.sleep(0)  # let the others run between read and write
            changes = TaskChanges(title=f"{current.title}+")
            assert await uow.tasks.update(owner.id, task_id, changes, current.version)
            await uow.commit()

    await asyncio.gather(*(bump(task.id) for _ in range(10)))
    async with InMemoryUnitOfWork(store) as uow:
        final = await uow.tasks.get(owner.id, task.id)
    assert final is not None
    assert (final.title, final.version) == ("counter" + "+" * 10, 11)


async def test_a_conflict_outside_a_savepoint_fails_the_transaction(store: InMemoryStore) -> None:
    owner = await register(store)
    uow = InMemoryUnitOfWork(store)
    async with uow:
        await uow.categories.add(NewCategory(owner.id, "Work"))
        with pytest.raises(ConflictError):
            await uow.categories.add(NewCategory(owner.id, "work"))
        # As on PostgreSQL: every statement after the error is refused, and so is commit.
        with pytest.raises(TransactionStateError):
            await uow.categories.add(NewCategory(owner.id, "Home"))
        with pytest.raises(TransactionStateError):
            async with uow.savepoint():
                pass
        with pytest.raises(TransactionStateError):
            await uow.commit()
    # Leaving the block rolls the failed transaction back: the next one starts clean.
    async with uow:
        await uow.categories.add(NewCategory(owner.id, "Home"))
        await uow.commit()
    async with uow:
        names = [c.name for c in (await uow.categories.list(owner.id, PageWindow())).items]
    assert names == ["Home"]


async def test_ids_are_never_reused(store: InMemoryStore) -> None:
    owner = await register(store)
    async with InMemoryUnitOfWork(store) as uow:
        first = await uow.tasks.add(NewTask(owner.id, "rolled back"))
    async with InMemoryUnitOfWork(store) as uow:
        second = await uow.tasks.add(NewTask(owner.id, "deleted"))
        await uow.commit()
    async with InMemoryUnitOfWork(store) as uow:
        assert await uow.tasks.delete(owner.id, second.id)
        third = await uow.tasks.add(NewTask(owner.id, "kept"))
        await uow.commit()
    assert first.id < second.id < third.id


async def test_returned_entities_do_not_change_with_later_writes(store: InMemoryStore) -> None:
    owner = await register(store)
    async with InMemoryUnitOfWork(store) as uow:
        task = await uow.tasks.add(NewTask(owner.id, "before"))
        await uow.tasks.update(owner.id, task.id, TaskChanges(title="after"))
        await uow.commit()
    assert (task.title, task.version) == ("before", 1)


async def test_probe_is_always_healthy() -> None:
    status = await InMemoryDatabaseProbe().ping(timeout_s=2)
    assert status.healthy is True
    assert 0 <= status.latency_ms < 100
    assert status.pool is None
