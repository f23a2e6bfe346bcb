"""Timestamps come back timezone-aware in UTC, the same instant that went in."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from domain.task import NewTask, TaskChanges
from domain.user import User
from tests.behaviour.support import UowFactory, add_category

pytestmark = pytest.mark.asyncio

PLUS_TWO = timezone(timedelta(hours=2))


def assert_utc(value: datetime | None) -> None:
    assert value is not None
    assert value.tzinfo is not None
    assert value.utcoffset() == timedelta(0)


async def test_due_at_round_trips_as_utc(uow_factory: UowFactory, alice: User) -> None:
    given = datetime(2030, 3, 4, 5, 6, 7, 891_011, tzinfo=PLUS_TWO)
    async with uow_factory() as uow:
        added = await uow.tasks.add(NewTask(alice.id, "due", due_at=given))
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.tasks.get(alice.id, added.id)
    assert stored is not None
    assert stored.due_at == given
    assert_utc(stored.due_at)


async def test_due_at_set_by_update_round_trips(uow_factory: UowFactory, alice: User) -> None:
    async with uow_factory() as uow:
        added = await uow.tasks.add(NewTask(alice.id, "due"))
        await uow.commit()
    given = datetime(2031, 12, 31, 23, 59, 59, 999_999, tzinfo=PLUS_TWO)
    async with uow_factory() as uow:
        await uow.tasks.update(alice.id, added.id, TaskChanges(due_at=given))
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.tasks.get(alice.id, added.id)
    assert stored is not None
    assert stored.due_at == given
    assert_utc(stored.due_at)


async def test_stored_timestamps_are_utc_and_recent(uow_factory: UowFactory, alice: User) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    category = await add_category(uow_factory, alice, "Work")
    async with uow_factory() as uow:
        task = await uow.tasks.add(NewTask(alice.id, "t"))
        await uow.commit()
    after = datetime.now(UTC) + timedelta(seconds=5)
    async with uow_factory() as uow:
        stored_user = await uow.users.get(alice.id)
        stored_category = await uow.categories.get(alice.id, category.id)
        stored_task = await uow.tasks.get(alice.id, task.id)
    assert stored_user is not None
    assert stored_category is not None
    assert stored_task is not None
    for value in (
        stored_user.created_at,
        stored_category.created_at,
        stored_category.updated_at,
        stored_task.created_at,
        stored_task.updated_at,
    ):
        assert_utc(value)
        assert before <= value <= after
    # What the writer was given back is what a reader sees.
    assert (stored_user, stored_category, stored_task) == (alice, category, task)
