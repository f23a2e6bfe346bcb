"""The unit of work: commit, rollback, savepoints, re-entry, conflicts inside savepoints."""

import pytest

from domain.category import NewCategory
from domain.errors import ConflictError
from domain.paging import PageWindow
from domain.unit_of_work import UnitOfWork
from domain.user import User
from tests.behaviour.support import UowFactory, add_category

pytestmark = pytest.mark.asyncio


class Boom(Exception):
    """Raised on purpose to leave a block by an exception."""


async def names(uow_factory: UowFactory, owner: User) -> list[str]:
    uow = uow_factory()
    async with uow:
        page = await uow.categories.list(owner.id, PageWindow(limit=100))
    return [category.name for category in page.items]


async def add_in_savepoint(uow: UnitOfWork, category: NewCategory, *, fail: bool) -> None:
    async with uow.savepoint():
        await uow.categories.add(category)
        if fail:
            raise Boom


async def test_commit_is_visible_to_the_next_unit(uow_factory: UowFactory, alice: User) -> None:
    created = await add_category(uow_factory, alice, "work")
    uow = uow_factory()
    async with uow:
        assert await uow.categories.get(alice.id, created.id) == created


async def test_rollback_discards_writes(uow_factory: UowFactory, alice: User) -> None:
    uow = uow_factory()
    async with uow:
        created = await uow.categories.add(NewCategory(alice.id, "work"))
        # Visible to the unit that wrote it, until the block ends without a commit.
        assert await uow.categories.get(alice.id, created.id) == created
    async with uow_factory() as other:
        assert await other.categories.get(alice.id, created.id) is None
    assert await names(uow_factory, alice) == []


async def test_exception_rolls_back(uow_factory: UowFactory, alice: User) -> None:
    uow = uow_factory()

    async def add_then_fail() -> None:
        async with uow:
            await uow.categories.add(NewCategory(alice.id, "work"))
            raise Boom

    with pytest.raises(Boom):
        await add_then_fail()
    assert await names(uow_factory, alice) == []


async def test_writes_after_a_commit_roll_back_without_another(
    uow_factory: UowFactory, alice: User
) -> None:
    uow = uow_factory()
    async with uow:
        await uow.categories.add(NewCategory(alice.id, "committed"))
        await uow.commit()
        await uow.categories.add(NewCategory(alice.id, "dropped"))
    assert await names(uow_factory, alice) == ["committed"]


async def test_same_unit_can_be_entered_again(uow_factory: UowFactory, alice: User) -> None:
    uow = uow_factory()
    async with uow:
        await uow.categories.add(NewCategory(alice.id, "first"))
    async with uow:
        await uow.categories.add(NewCategory(alice.id, "second"))
        await uow.commit()
    assert await names(uow_factory, alice) == ["second"]


async def test_savepoint_rollback_discards_only_its_own_writes(
    uow_factory: UowFactory, alice: User
) -> None:
    uow = uow_factory()
    async with uow:
        await uow.categories.add(NewCategory(alice.id, "before"))
        with pytest.raises(Boom):
            await add_in_savepoint(uow, NewCategory(alice.id, "inside"), fail=True)
        await uow.categories.add(NewCategory(alice.id, "after"))
        await uow.commit()
    assert await names(uow_factory, alice) == ["before", "after"]


async def test_savepoint_left_cleanly_keeps_its_writes(
    uow_factory: UowFactory, alice: User
) -> None:
    uow = uow_factory()
    async with uow:
        await add_in_savepoint(uow, NewCategory(alice.id, "inside"), fail=False)
        await uow.commit()
    assert await names(uow_factory, alice) == ["inside"]


async def test_released_savepoint_rolls_back_with_its_unit(
    uow_factory: UowFactory, alice: User
) -> None:
    # The SQLite trap: a released savepoint's rows must not outlive the outer rollback.
    uow = uow_factory()
    async with uow, uow.savepoint():
        await uow.categories.add(NewCategory(alice.id, "inside"))
    assert await names(uow_factory, alice) == []


async def test_conflict_in_savepoint_leaves_the_unit_usable(
    uow_factory: UowFactory, alice: User
) -> None:
    uow = uow_factory()
    async with uow:
        await uow.categories.add(NewCategory(alice.id, "Work"))
        with pytest.raises(ConflictError, match="category name already taken"):
            await add_in_savepoint(uow, NewCategory(alice.id, "wORK"), fail=False)
        await uow.categories.add(NewCategory(alice.id, "home"))
        await uow.commit()
    assert await names(uow_factory, alice) == ["Work", "home"]


async def test_a_reading_unit_sees_commits_and_refuses_to_commit(
    uow_factory: UowFactory, alice: User
) -> None:
    created = await add_category(uow_factory, alice, "work")
    uow = uow_factory()
    async with uow.reading():
        assert await uow.categories.get(alice.id, created.id) == created
        with pytest.raises(RuntimeError):
            await uow.commit()


async def test_reading_lasts_one_block(uow_factory: UowFactory, alice: User) -> None:
    uow = uow_factory()
    async with uow.reading():
        assert (await uow.categories.list(alice.id, PageWindow())).total == 0
    # The next block of the same unit writes and commits again.
    async with uow:
        await uow.categories.add(NewCategory(alice.id, "after reading"))
        await uow.commit()
    assert await names(uow_factory, alice) == ["after reading"]
