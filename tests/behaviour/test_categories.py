"""Categories: CRUD scoped by owner, names unique per owner ignoring case."""

import pytest

from domain.category import CategoryChanges, NewCategory
from domain.errors import ConflictError
from domain.ids import CategoryId
from domain.paging import PageWindow
from domain.user import User
from tests.behaviour.support import UowFactory, add_category, add_task

pytestmark = pytest.mark.asyncio


async def test_category_round_trips(uow_factory: UowFactory, alice: User) -> None:
    async with uow_factory() as uow:
        added = await uow.categories.add(NewCategory(alice.id, "Work", "#A0B1C2"))
        await uow.commit()
    assert (added.owner_id, added.name, added.color) == (alice.id, "Work", "#a0b1c2")
    assert added.created_at == added.updated_at
    async with uow_factory() as uow:
        assert await uow.categories.get(alice.id, added.id) == added


@pytest.mark.parametrize(
    ("first", "second"),
    [("Ärger", "ärger"), ("Élan", "ÉLAN"), ("ΣΟΦΙΑ", "σοφια"), ("Cafe\u0301", "CAFÉ")],
)
async def test_names_fold_alike_in_every_script(
    uow_factory: UowFactory, alice: User, first: str, second: str
) -> None:
    category = await add_category(uow_factory, alice, first)
    with pytest.raises(ConflictError, match="category name already taken"):
        await add_category(uow_factory, alice, second)
    # Renaming into a name that folds alike is a conflict too; the stored spelling stays.
    other = await add_category(uow_factory, alice, "Other")
    async with uow_factory() as uow:
        with pytest.raises(ConflictError):
            await uow.categories.update(alice.id, other.id, CategoryChanges(name=second))
    async with uow_factory() as uow:
        assert (await uow.categories.get(alice.id, category.id)) == category


async def test_name_is_unique_per_owner_ignoring_case(
    uow_factory: UowFactory, alice: User, bob: User
) -> None:
    await add_category(uow_factory, alice, "Work")
    with pytest.raises(ConflictError, match="category name already taken"):
        await add_category(uow_factory, alice, "WORK")
    # Another owner may use the same name.
    assert (await add_category(uow_factory, bob, "work")).name == "work"


async def test_update_changes_only_given_fields(uow_factory: UowFactory, alice: User) -> None:
    async with uow_factory() as uow:
        added = await uow.categories.add(NewCategory(alice.id, "Work", "#000000"))
        await uow.commit()
    async with uow_factory() as uow:
        renamed = await uow.categories.update(alice.id, added.id, CategoryChanges(name="Job"))
        await uow.commit()
    assert renamed is not None
    assert (renamed.name, renamed.color, renamed.created_at) == ("Job", "#000000", added.created_at)
    assert renamed.updated_at >= added.updated_at
    async with uow_factory() as uow:
        recoloured = await uow.categories.update(alice.id, added.id, CategoryChanges(color=None))
        await uow.commit()
        assert recoloured is not None
        assert (recoloured.name, recoloured.color) == ("Job", None)
    async with uow_factory() as uow:
        assert await uow.categories.get(alice.id, added.id) == recoloured


async def test_rename_may_change_only_the_case(uow_factory: UowFactory, alice: User) -> None:
    added = await add_category(uow_factory, alice, "work")
    async with uow_factory() as uow:
        renamed = await uow.categories.update(alice.id, added.id, CategoryChanges(name="WORK"))
        await uow.commit()
    assert renamed is not None
    assert renamed.name == "WORK"


async def test_rename_to_a_taken_name_conflicts(uow_factory: UowFactory, alice: User) -> None:
    await add_category(uow_factory, alice, "Work")
    home = await add_category(uow_factory, alice, "Home")
    with pytest.raises(ConflictError, match="category name already taken"):
        async with uow_factory() as uow:
            await uow.categories.update(alice.id, home.id, CategoryChanges(name="work"))
    async with uow_factory() as uow:
        assert await uow.categories.get(alice.id, home.id) == home


async def test_delete_removes_the_category(uow_factory: UowFactory, alice: User) -> None:
    added = await add_category(uow_factory, alice, "Work")
    async with uow_factory() as uow:
        assert await uow.categories.delete(alice.id, added.id) is True
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.categories.get(alice.id, added.id) is None
        assert await uow.categories.delete(alice.id, added.id) is False


async def test_delete_leaves_its_tasks_uncategorised(uow_factory: UowFactory, alice: User) -> None:
    work = await add_category(uow_factory, alice, "Work")
    task = await add_task(uow_factory, alice, category_id=work.id)
    async with uow_factory() as uow:
        assert await uow.categories.delete(alice.id, work.id)
        await uow.commit()
    async with uow_factory() as uow:
        kept = await uow.tasks.get(alice.id, task.id)
    assert kept is not None
    assert kept.category_id is None


async def test_others_categories_are_invisible(
    uow_factory: UowFactory, alice: User, bob: User
) -> None:
    mine = await add_category(uow_factory, alice, "Work")
    async with uow_factory() as uow:
        assert await uow.categories.get(bob.id, mine.id) is None
        assert await uow.categories.update(bob.id, mine.id, CategoryChanges(name="x")) is None
        assert await uow.categories.delete(bob.id, mine.id) is False
        assert (await uow.categories.list(bob.id, PageWindow())).total == 0
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.categories.get(alice.id, mine.id) == mine


async def test_unknown_category_is_none(uow_factory: UowFactory, alice: User) -> None:
    unknown = CategoryId(999_999)
    async with uow_factory() as uow:
        assert await uow.categories.get(alice.id, unknown) is None
        assert await uow.categories.update(alice.id, unknown, CategoryChanges(name="x")) is None
        assert await uow.categories.delete(alice.id, unknown) is False


async def test_list_pages_in_creation_order(
    uow_factory: UowFactory, alice: User, bob: User
) -> None:
    for name in ["c", "a", "b", "e", "d"]:
        await add_category(uow_factory, alice, name)
    await add_category(uow_factory, bob, "bob's")
    async with uow_factory() as uow:
        first = await uow.categories.list(alice.id, PageWindow(limit=2))
        second = await uow.categories.list(alice.id, PageWindow(limit=2, offset=2))
        last = await uow.categories.list(alice.id, PageWindow(limit=2, offset=4))
        beyond = await uow.categories.list(alice.id, PageWindow(limit=2, offset=9))
    assert [c.name for c in first.items] == ["c", "a"]
    assert [c.name for c in second.items] == ["b", "e"]
    assert [c.name for c in last.items] == ["d"]
    assert list(beyond.items) == []
    assert [page.total for page in (first, second, last, beyond)] == [5, 5, 5, 5]
    assert (second.limit, second.offset) == (2, 2)
    ids = [c.id for page in (first, second, last) for c in page.items]
    assert ids == sorted(ids)


async def test_taken_name_raises_conflict_at_the_call(uow_factory: UowFactory, alice: User) -> None:
    # The port promises ConflictError from the repository call itself, not only at the
    # end of the block: use cases catch it per item inside one unit of work.
    await add_category(uow_factory, alice, "Work")
    async with uow_factory() as uow:
        with pytest.raises(ConflictError, match="category name already taken"):
            await uow.categories.add(NewCategory(alice.id, "work"))
    home = await add_category(uow_factory, alice, "Home")
    async with uow_factory() as uow:
        with pytest.raises(ConflictError, match="category name already taken"):
            await uow.categories.update(alice.id, home.id, CategoryChanges(name="WORK"))
