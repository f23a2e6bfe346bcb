"""Listing tasks: filters (alone and combined), every sort order, paging."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.ids import CategoryId, TaskId
from domain.paging import PageWindow
from domain.task import Priority, TaskChanges
from domain.task_query import TaskQuery, TaskSort
from domain.user import User
from tests.behaviour.support import UowFactory, add_category, add_task

pytestmark = pytest.mark.asyncio

DAY = datetime(2030, 6, 1, 12, tzinfo=UTC)


async def listed(uow_factory: UowFactory, query: TaskQuery) -> list[TaskId]:
    async with uow_factory() as uow:
        page = await uow.tasks.list(query)
    return [task.id for task in page.items]


async def complete(uow_factory: UowFactory, owner: User, task_id: TaskId) -> None:
    async with uow_factory() as uow:
        assert await uow.tasks.update(owner.id, task_id, TaskChanges(completed=True))
        await uow.commit()


async def test_filters_alone_and_combined(uow_factory: UowFactory, alice: User, bob: User) -> None:
    work = await add_category(uow_factory, alice, "Work")
    bobs = await add_category(uow_factory, bob, "Work")
    a = await add_task(uow_factory, alice, "Report", priority=Priority.HIGH, category_id=work.id)
    b = await add_task(uow_factory, alice, "report draft", priority=Priority.LOW)
    c = await add_task(uow_factory, alice, "Groceries", priority=Priority.HIGH)
    d = await add_task(uow_factory, alice, "Slides", category_id=work.id)
    await add_task(uow_factory, bob, "Report", priority=Priority.HIGH, category_id=bobs.id)
    await complete(uow_factory, alice, a.id)
    await complete(uow_factory, alice, c.id)

    def query(
        completed: bool | None = None,
        category_id: CategoryId | None = None,
        priority: Priority | None = None,
        q: str | None = None,
    ) -> TaskQuery:
        return TaskQuery(alice.id, completed, category_id, priority, q, TaskSort.CREATED_AT)

    assert await listed(uow_factory, query()) == [a.id, b.id, c.id, d.id]
    assert await listed(uow_factory, query(completed=True)) == [a.id, c.id]
    assert await listed(uow_factory, query(completed=False)) == [b.id, d.id]
    assert await listed(uow_factory, query(category_id=work.id)) == [a.id, d.id]
    assert await listed(uow_factory, query(priority=Priority.HIGH)) == [a.id, c.id]
    assert await listed(uow_factory, query(priority=Priority.MEDIUM)) == [d.id]
    assert await listed(uow_factory, query(q="REPORT")) == [a.id, b.id]
    assert await listed(uow_factory, query(q="port dr")) == [b.id]
    assert await listed(uow_factory, query(q="nothing like it")) == []
    assert await listed(uow_factory, query(completed=True, priority=Priority.HIGH, q="rep")) == [
        a.id
    ]
    assert await listed(uow_factory, query(category_id=work.id, completed=False)) == [d.id]
    # Another user's category matches nothing, and nobody's category neither.
    assert await listed(uow_factory, query(category_id=bobs.id)) == []
    assert await listed(uow_factory, query(category_id=CategoryId(999_999))) == []


async def test_q_matches_like_wildcards_literally(uow_factory: UowFactory, alice: User) -> None:
    percent = await add_task(uow_factory, alice, "100% done")
    await add_task(uow_factory, alice, "100 percent")
    underscore = await add_task(uow_factory, alice, "snake_case")
    await add_task(uow_factory, alice, "snakeXcase")
    backslash = await add_task(uow_factory, alice, r"C:\temp")
    sort = TaskSort.CREATED_AT
    assert await listed(uow_factory, TaskQuery(alice.id, q="%", sort=sort)) == [percent.id]
    assert await listed(uow_factory, TaskQuery(alice.id, q="0% D", sort=sort)) == [percent.id]
    assert await listed(uow_factory, TaskQuery(alice.id, q="_", sort=sort)) == [underscore.id]
    assert await listed(uow_factory, TaskQuery(alice.id, q="e_c", sort=sort)) == [underscore.id]
    assert await listed(uow_factory, TaskQuery(alice.id, q="\\", sort=sort)) == [backslash.id]
    assert await listed(uow_factory, TaskQuery(alice.id, q="\\t", sort=sort)) == [backslash.id]


async def test_q_folds_case_in_every_script(uow_factory: UowFactory, alice: User) -> None:
    elan = await add_task(uow_factory, alice, "Élan vital")
    greek = await add_task(uow_factory, alice, "ΣΟΦΙΑ")
    await add_task(uow_factory, alice, "plain")
    sort = TaskSort.CREATED_AT
    assert await listed(uow_factory, TaskQuery(alice.id, q="élan", sort=sort)) == [elan.id]
    assert await listed(uow_factory, TaskQuery(alice.id, q="ÉLAN", sort=sort)) == [elan.id]
    assert await listed(uow_factory, TaskQuery(alice.id, q="σοφ", sort=sort)) == [greek.id]


async def test_created_at_orders_both_ways(uow_factory: UowFactory, alice: User) -> None:
    ids = [(await add_task(uow_factory, alice, title)).id for title in ["b", "a", "c"]]
    assert await listed(uow_factory, TaskQuery(alice.id, sort=TaskSort.CREATED_AT)) == ids
    newest_first = ids[::-1]
    assert await listed(uow_factory, TaskQuery(alice.id)) == newest_first
    assert (
        await listed(uow_factory, TaskQuery(alice.id, sort=TaskSort.CREATED_AT_DESC))
        == newest_first
    )


async def test_title_orders_with_ties_by_id(uow_factory: UowFactory, alice: User) -> None:
    b1 = await add_task(uow_factory, alice, "b")
    a1 = await add_task(uow_factory, alice, "a")
    b2 = await add_task(uow_factory, alice, "b")
    c1 = await add_task(uow_factory, alice, "c")
    a2 = await add_task(uow_factory, alice, "a")
    ascending = [a1.id, a2.id, b1.id, b2.id, c1.id]
    assert await listed(uow_factory, TaskQuery(alice.id, sort=TaskSort.TITLE)) == ascending
    descending = ascending[::-1]
    assert await listed(uow_factory, TaskQuery(alice.id, sort=TaskSort.TITLE_DESC)) == descending


async def test_due_at_orders_with_ties_by_id_and_missing_last(
    uow_factory: UowFactory, alice: User
) -> None:
    later = DAY + timedelta(days=1)
    none1 = await add_task(uow_factory, alice, "x")
    late1 = await add_task(uow_factory, alice, "x", due_at=later)
    early = await add_task(uow_factory, alice, "x", due_at=DAY)
    none2 = await add_task(uow_factory, alice, "x")
    late2 = await add_task(uow_factory, alice, "x", due_at=later)
    ascending = [early.id, late1.id, late2.id, none1.id, none2.id]
    assert await listed(uow_factory, TaskQuery(alice.id, sort=TaskSort.DUE_AT)) == ascending
    descending = [late2.id, late1.id, early.id, none2.id, none1.id]
    assert await listed(uow_factory, TaskQuery(alice.id, sort=TaskSort.DUE_AT_DESC)) == descending


async def test_paging_windows_the_ordered_result(
    uow_factory: UowFactory, alice: User, bob: User
) -> None:
    ids = [(await add_task(uow_factory, alice, f"t{n}")).id for n in range(5)]
    await add_task(uow_factory, bob, "not counted")

    async def page(limit: int, offset: int) -> tuple[list[TaskId], int, int, int]:
        query = TaskQuery(alice.id, sort=TaskSort.CREATED_AT, window=PageWindow(limit, offset))
        async with uow_factory() as uow:
            found = await uow.tasks.list(query)
        return [t.id for t in found.items], found.total, found.limit, found.offset

    assert await page(2, 0) == (ids[0:2], 5, 2, 0)
    assert await page(2, 2) == (ids[2:4], 5, 2, 2)
    assert await page(2, 4) == (ids[4:], 5, 2, 4)
    assert await page(100, 0) == (ids, 5, 100, 0)
    assert await page(3, 5) == ([], 5, 3, 5)
    assert await page(1, 50) == ([], 5, 1, 50)


async def test_total_counts_every_match_not_the_page(uow_factory: UowFactory, alice: User) -> None:
    for n in range(4):
        await add_task(uow_factory, alice, f"match {n}", priority=Priority.HIGH)
    await add_task(uow_factory, alice, "other", priority=Priority.LOW)
    query = TaskQuery(alice.id, priority=Priority.HIGH, window=PageWindow(limit=1, offset=1))
    async with uow_factory() as uow:
        found = await uow.tasks.list(query)
    assert (len(found.items), found.total) == (1, 4)
