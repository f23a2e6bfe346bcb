"""Cursor paging over HTTP: ``next_cursor`` on every list, walking pages with it, and the
400s for cursors that are not this user's, this list's, or intact.
"""

import base64
from typing import Any

import pytest
import pytest_asyncio

from tests.http.support import Api, assert_problem

pytestmark = pytest.mark.asyncio

SORTS = ["created_at", "-created_at", "due_at", "-due_at", "title", "-title"]
DUES = ["2026-01-01T00:00:00Z", None, "2026-01-02T00:00:00Z", None]


async def listing(api: Api, path: str = "/tasks", **params: Any) -> dict[str, Any]:
    response = await api.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def walk(
    api: Api, path: str = "/tasks", limits: tuple[int, ...] = (3,), **params: Any
) -> list[int]:
    """Follow ``next_cursor`` from the first page to the last; the limit changes freely."""
    page = await listing(api, path, limit=limits[0], **params)
    seen = [item["id"] for item in page["items"]]
    turn = 1
    while page["next_cursor"] is not None:
        limit = limits[turn % len(limits)]
        page = await listing(api, path, limit=limit, cursor=page["next_cursor"], **params)
        assert page["offset"] == 0
        assert page["limit"] == limit
        seen += [item["id"] for item in page["items"]]
        turn += 1
    return seen


@pytest_asyncio.fixture
async def seeded(api: Api) -> list[dict[str, Any]]:
    await api.sign_up()
    return [
        await api.task(
            title=f"{'ab'[n % 2]}{n % 3}", due_at=DUES[n % 4], priority=["low", "high"][n % 2]
        )
        for n in range(10)
    ]


@pytest.mark.parametrize("sort", SORTS)
async def test_walking_cursors_lists_every_task_once_in_order(
    api: Api, seeded: list[dict[str, Any]], sort: str
) -> None:
    whole = await listing(api, sort=sort, limit=100)
    assert whole["next_cursor"] is None
    in_order = [task["id"] for task in whole["items"]]
    assert await walk(api, sort=sort) == in_order
    assert await walk(api, limits=(1, 4), sort=sort) == in_order
    high = [task["id"] for task in (await listing(api, sort=sort, priority="high"))["items"]]
    assert await walk(api, limits=(2,), sort=sort, priority="high") == high


async def test_offset_pages_carry_a_cursor_to_switch_to(
    api: Api, seeded: list[dict[str, Any]]
) -> None:
    ids = [task["id"] for task in seeded]
    first = await listing(api, sort="created_at", limit=4, offset=2)
    assert [task["id"] for task in first["items"]] == ids[2:6]
    rest = await listing(api, sort="created_at", limit=10, cursor=first["next_cursor"])
    assert [task["id"] for task in rest["items"]] == ids[6:]
    assert (rest["total"], rest["limit"], rest["offset"], rest["next_cursor"]) == (10, 10, 0, None)
    # A page that reaches the end exactly has nothing after it.
    assert (await listing(api, sort="created_at", limit=5, offset=5))["next_cursor"] is None


async def test_a_cursor_survives_changes_between_pages(
    api: Api, seeded: list[dict[str, Any]]
) -> None:
    ids = [task["id"] for task in seeded]
    first = await listing(api, sort="created_at", limit=3)
    await api.delete(f"/tasks/{ids[2]}")
    await api.delete(f"/tasks/{ids[3]}")
    newer = await api.task(title="new")
    rest = await listing(api, sort="created_at", limit=100, cursor=first["next_cursor"])
    assert [task["id"] for task in rest["items"]] == [*ids[4:], newer["id"]]
    assert rest["total"] == 9


async def test_categories_page_by_cursor(api: Api) -> None:
    await api.sign_up()
    ids = [(await api.category(f"c{n}"))["id"] for n in range(5)]
    assert await walk(api, "/categories", limits=(2,)) == ids
    page = await listing(api, "/categories", limit=2)
    after = await listing(api, "/categories", limit=2, cursor=page["next_cursor"])
    assert (after["total"], after["offset"]) == (5, 0)


def _altered(cursor: str) -> str:
    raw = bytearray(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    raw[len(raw) // 2] ^= 1
    return base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


async def test_cursors_that_are_not_intact_are_refused(
    api: Api, seeded: list[dict[str, Any]]
) -> None:
    cursor = (await listing(api, limit=2))["next_cursor"]
    for bad in [
        _altered(cursor),
        cursor[:-2],
        cursor + "AA",
        "",
        "!!",
        "a" * 3000,
        "%00",
        "é",
        "A",
    ]:
        problem = assert_problem(
            await api.get("/tasks", params={"limit": 2, "cursor": bad}), 400, field="cursor"
        )
        assert "cursor" in problem["detail"]


@pytest.mark.parametrize(
    "changed",
    [
        {"sort": "title"},
        {"q": "a"},
        {"completed": "false"},
        {"priority": "low"},
        {"category_id": 1},
    ],
)
async def test_a_cursor_is_bound_to_its_sort_and_filters(
    api: Api, seeded: list[dict[str, Any]], changed: dict[str, Any]
) -> None:
    cursor = (await listing(api, limit=2))["next_cursor"]
    problem = assert_problem(
        await api.get("/tasks", params={"cursor": cursor, **changed}), 400, field="cursor"
    )
    assert "filters" in problem["detail"]


async def test_equivalent_filters_keep_a_cursor_valid(
    api: Api, seeded: list[dict[str, Any]]
) -> None:
    cursor = (await listing(api, limit=2, completed="false", sort="title"))["next_cursor"]
    # The same filter spelled another way, the default sort named: the same list.
    assert (await listing(api, limit=2, completed="0", sort="title", cursor=cursor))["total"] == 10
    default = (await listing(api, limit=2))["next_cursor"]
    assert (await listing(api, sort="-created_at", q="", cursor=default))["total"] == 10


@pytest.mark.parametrize("offset", [0, 2])
async def test_a_cursor_with_an_offset_is_refused(
    api: Api, seeded: list[dict[str, Any]], offset: int
) -> None:
    cursor = (await listing(api, limit=2))["next_cursor"]
    response = await api.get("/tasks", params={"cursor": cursor, "offset": offset})
    assert "offset" in assert_problem(response, 400, field="cursor")["detail"]


async def test_another_users_cursor_is_refused(api: Api, seeded: list[dict[str, Any]]) -> None:
    adas = (await listing(api, limit=2))["next_cursor"]
    ada_categories = [await api.category(f"c{n}") for n in range(3)]
    category_cursor = (await listing(api, "/categories", limit=1))["next_cursor"]
    await api.sign_up("bob@example.com")
    for n in range(3):
        await api.task(title=f"b{n}")
        await api.category(f"c{n}")
    assert_problem(await api.get("/tasks", params={"cursor": adas}), 400, field="cursor")
    assert_problem(
        await api.get("/categories", params={"cursor": category_cursor}), 400, field="cursor"
    )
    assert len(ada_categories) == 3


async def test_a_cursor_belongs_to_its_list(api: Api, seeded: list[dict[str, Any]]) -> None:
    for n in range(3):
        await api.category(f"c{n}")
    task_cursor = (await listing(api, limit=1))["next_cursor"]
    category_cursor = (await listing(api, "/categories", limit=1))["next_cursor"]
    assert_problem(
        await api.get("/categories", params={"cursor": task_cursor}), 400, field="cursor"
    )
    assert_problem(await api.get("/tasks", params={"cursor": category_cursor}), 400, field="cursor")


async def test_an_unstorable_category_filter_still_checks_its_cursor(
    api: Api, seeded: list[dict[str, Any]]
) -> None:
    cursor = (await listing(api, limit=2))["next_cursor"]
    response = await api.get("/tasks", params={"cursor": cursor, "category_id": 0})
    assert_problem(response, 400, field="cursor")
    assert (await listing(api, category_id=0))["next_cursor"] is None
