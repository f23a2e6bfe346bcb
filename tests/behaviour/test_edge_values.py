"""Values at the edges of what each store can hold: the calendar's ends, versions past
32 bits, the longest search."""

from datetime import UTC, datetime

import pytest

from domain.ids import MAX_ID
from domain.task import NewTask, TaskChanges
from domain.task_query import MAX_QUERY_LENGTH, TaskQuery, TaskSort
from domain.user import User
from tests.behaviour.support import UowFactory, add_task

pytestmark = pytest.mark.asyncio

FIRST = datetime(1, 1, 1, tzinfo=UTC)
LAST = datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)


async def test_due_at_at_the_ends_of_the_calendar_round_trips_and_sorts(
    uow_factory: UowFactory, alice: User
) -> None:
    last = await add_task(uow_factory, alice, "last", due_at=LAST)
    first = await add_task(uow_factory, alice, "first", due_at=FIRST)
    middle = await add_task(uow_factory, alice, "middle", due_at=datetime(2030, 1, 1, tzinfo=UTC))
    async with uow_factory() as uow:
        assert (await uow.tasks.get(alice.id, first.id)) == first
        assert (await uow.tasks.get(alice.id, last.id)) == last
        page = await uow.tasks.list(TaskQuery(alice.id, sort=TaskSort.DUE_AT))
    assert [task.id for task in page.items] == [first.id, middle.id, last.id]
    assert [task.due_at for task in page.items][::2] == [FIRST, LAST]


@pytest.mark.parametrize("expected", [2**31, 2**32 + 1, MAX_ID])
async def test_versions_past_32_bits_are_only_stale(
    uow_factory: UowFactory, alice: User, expected: int
) -> None:
    task = await add_task(uow_factory, alice, "kept")
    async with uow_factory() as uow:
        changes = TaskChanges(title="lost")
        assert await uow.tasks.update(alice.id, task.id, changes, expected) is None
        assert await uow.tasks.delete(alice.id, task.id, expected_version=expected) is False
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.tasks.get(alice.id, task.id) == task


@pytest.mark.parametrize("unit", ["a", "%", "_", "\\", "😀", "ß"])
async def test_the_longest_search_runs(uow_factory: UowFactory, alice: User, unit: str) -> None:
    q = unit * MAX_QUERY_LENGTH
    async with uow_factory() as uow:
        match = await uow.tasks.add(NewTask(alice.id, q))
        await uow.commit()
    await add_task(uow_factory, alice, unit * (MAX_QUERY_LENGTH - 1))
    async with uow_factory() as uow:
        page = await uow.tasks.list(TaskQuery(alice.id, q=q))
    assert [task.id for task in page.items] == [match.id]
