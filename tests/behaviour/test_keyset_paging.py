"""Paging after a position (the keyset rule): every sort, ties, missing due dates,
changes between pages, categories; the same on every backend.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import cycle

import pytest

from domain.ids import CategoryId, TaskId
from domain.paging import Page, PageWindow, Position
from domain.task import Priority, Task
from domain.task_query import TaskQuery, TaskSort
from domain.user import User
from tests.behaviour.support import UowFactory, add_category, add_task

pytestmark = pytest.mark.asyncio

DAY = datetime(2030, 6, 1, 12, tzinfo=UTC)
# Ties in every sortable field, missing due dates, titles beyond ASCII (byte order is
# code point order on every backend) and one a microsecond after another.
TASKS: list[tuple[str, datetime | None]] = [
    ("b", DAY),
    ("a", None),
    ("B", DAY + timedelta(days=1)),
    ("é", DAY),
    ("a", DAY + timedelta(microseconds=1)),
    ("Z", None),
    ("ζ", DAY - timedelta(days=3)),
    ("b", None),
    ("a", DAY),
    ("🙂", DAY + timedelta(days=1)),
    ("e", None),
]


async def page_of(uow_factory: UowFactory, query: TaskQuery) -> Page[Task]:
    async with uow_factory() as uow:
        return await uow.tasks.list(query)


async def walk(uow_factory: UowFactory, query: TaskQuery, limits: list[int]) -> list[TaskId]:
    """Every page after the first starts after the last item of the one before; the
    limit changes from page to page.
    """
    seen: list[TaskId] = []
    sizes = cycle(limits)
    page = await page_of(uow_factory, replace(query, window=PageWindow(next(sizes))))
    while True:
        seen += [task.id for task in page.items]
        assert page.total == len(TASKS)
        assert page.offset == 0
        if not page.more:
            return seen
        window = PageWindow(next(sizes), after=query.sort.position_of(page.items[-1]))
        page = await page_of(uow_factory, replace(query, window=window))


@pytest.mark.parametrize("sort", list(TaskSort))
async def test_walking_after_positions_lists_each_task_once_in_order(
    uow_factory: UowFactory, alice: User, bob: User, sort: TaskSort
) -> None:
    for title, due_at in TASKS:
        await add_task(uow_factory, alice, title, due_at=due_at)
    await add_task(uow_factory, bob, "a", due_at=DAY)
    whole = await page_of(uow_factory, TaskQuery(alice.id, sort=sort, window=PageWindow(100)))
    assert not whole.more
    in_order = [task.id for task in whole.items]
    assert len(in_order) == len(TASKS)
    for limits in ([1], [2, 3], [4, 1]):
        assert await walk(uow_factory, TaskQuery(alice.id, sort=sort), limits) == in_order


async def test_due_dates_run_on_into_the_undated_tasks(
    uow_factory: UowFactory, alice: User
) -> None:
    undated = [await add_task(uow_factory, alice, "x") for _ in range(3)]
    dated = await add_task(uow_factory, alice, "x", due_at=DAY)

    async def after(position: Position, sort: TaskSort) -> list[TaskId]:
        query = TaskQuery(alice.id, sort=sort, window=PageWindow(10, after=position))
        return [task.id for task in (await page_of(uow_factory, query)).items]

    ids = [task.id for task in undated]
    for sort in (TaskSort.DUE_AT, TaskSort.DUE_AT_DESC):
        assert await after(Position(dated.due_at, dated.id), sort) == (
            ids if sort is TaskSort.DUE_AT else ids[::-1]
        )
    assert await after(Position(None, ids[0]), TaskSort.DUE_AT) == ids[1:]
    assert await after(Position(None, ids[2]), TaskSort.DUE_AT_DESC) == ids[1::-1]
    assert await after(Position(None, ids[2]), TaskSort.DUE_AT) == []


async def test_changes_between_pages_neither_repeat_nor_skip(
    uow_factory: UowFactory, alice: User
) -> None:
    first, second, third, fourth = [await add_task(uow_factory, alice, f"t{n}") for n in range(4)]
    query = TaskQuery(alice.id, sort=TaskSort.CREATED_AT, window=PageWindow(2))
    page = await page_of(uow_factory, query)
    assert [task.id for task in page.items] == [first.id, second.id]
    # The last item seen and an unseen one go; a new one comes (it sorts last).
    async with uow_factory() as uow:
        assert await uow.tasks.delete(alice.id, second.id)
        assert await uow.tasks.delete(alice.id, third.id)
        await uow.commit()
    newer = await add_task(uow_factory, alice, "t4")
    after = PageWindow(2, after=TaskSort.CREATED_AT.position_of(page.items[-1]))
    rest = await page_of(uow_factory, TaskQuery(alice.id, sort=TaskSort.CREATED_AT, window=after))
    assert [task.id for task in rest.items] == [fourth.id, newer.id]
    assert (rest.total, rest.more) == (3, False)
    # Newest first, the new task sorts before the position: it is not on later pages.
    newest_first = TaskQuery(
        alice.id, window=PageWindow(1, after=Position(fourth.created_at, fourth.id))
    )
    assert [task.id for task in (await page_of(uow_factory, newest_first)).items] == [first.id]


async def test_filters_hold_after_a_position(uow_factory: UowFactory, alice: User) -> None:
    work = await add_category(uow_factory, alice, "Work")
    wanted = []
    for n in range(5):
        wanted.append(
            await add_task(
                uow_factory, alice, f"Report {n}", priority=Priority.HIGH, category_id=work.id
            )
        )
        await add_task(
            uow_factory, alice, f"Report {n}", priority=Priority.LOW, category_id=work.id
        )
        await add_task(uow_factory, alice, f"other {n}", priority=Priority.HIGH)
    window = PageWindow(2, after=Position(wanted[1].title, wanted[1].id))
    query = TaskQuery(
        alice.id,
        category_id=CategoryId(work.id),
        priority=Priority.HIGH,
        q="REPORT",
        sort=TaskSort.TITLE,
        window=window,
    )
    page = await page_of(uow_factory, query)
    assert [task.id for task in page.items] == [wanted[2].id, wanted[3].id]
    assert (page.total, page.offset, page.more) == (5, 0, True)


async def test_offset_pages_say_whether_more_follow(uow_factory: UowFactory, alice: User) -> None:
    for n in range(3):
        await add_task(uow_factory, alice, f"t{n}")

    async def more(limit: int, offset: int) -> bool:
        return (
            await page_of(uow_factory, TaskQuery(alice.id, window=PageWindow(limit, offset)))
        ).more

    assert [await more(2, 0), await more(2, 1), await more(3, 0), await more(1, 5)] == [
        True,
        False,
        False,
        False,
    ]


async def test_categories_page_after_a_position(
    uow_factory: UowFactory, alice: User, bob: User
) -> None:
    ids = [(await add_category(uow_factory, alice, f"c{n}")).id for n in range(5)]
    await add_category(uow_factory, bob, "c9")
    seen: list[int] = []
    window = PageWindow(2)
    while True:
        async with uow_factory() as uow:
            page = await uow.categories.list(alice.id, window)
        assert (page.total, page.offset) == (5, 0)
        seen += [category.id for category in page.items]
        if not page.more:
            break
        window = PageWindow(2, after=Position(None, page.items[-1].id))
    assert seen == ids
