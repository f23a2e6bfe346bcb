"""``GET /tasks``: filters, sort orders, paging and their validation."""

from typing import Any

import pytest
import pytest_asyncio

from tests.http.support import Api, assert_problem

pytestmark = pytest.mark.asyncio


async def _titles(api: Api, **params: Any) -> list[str]:
    response = await api.get("/tasks", params=params)
    assert response.status_code == 200, response.text
    return [task["title"] for task in response.json()["items"]]


@pytest_asyncio.fixture
async def seeded(api: Api) -> dict[str, Any]:
    await api.sign_up()
    work = await api.category("Work")
    await api.task(title="Banana", priority="high", due_at="2026-03-01T00:00:00Z")
    await api.task(title="apple pie", category_id=work["id"], due_at="2026-01-01T00:00:00Z")
    await api.task(title="Cherry", priority="low", category_id=work["id"])
    done = await api.task(title="Date")
    await api.patch(f"/tasks/{done['id']}", json={"completed": True})
    return {"work": work}


async def test_default_order_is_newest_first(api: Api, seeded: dict[str, Any]) -> None:
    response = await api.get("/tasks")
    body = response.json()
    assert [t["title"] for t in body["items"]] == ["Date", "Cherry", "apple pie", "Banana"]
    assert (body["total"], body["limit"], body["offset"]) == (4, 20, 0)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("created_at", ["Banana", "apple pie", "Cherry", "Date"]),
        ("-created_at", ["Date", "Cherry", "apple pie", "Banana"]),
        ("due_at", ["apple pie", "Banana", "Cherry", "Date"]),
        ("-due_at", ["Banana", "apple pie", "Date", "Cherry"]),
        # Titles sort by code point (the stores' byte order): upper case first.
        ("title", ["Banana", "Cherry", "Date", "apple pie"]),
        ("-title", ["apple pie", "Date", "Cherry", "Banana"]),
    ],
)
async def test_sort_orders(
    api: Api, seeded: dict[str, Any], sort: str, expected: list[str]
) -> None:
    assert await _titles(api, sort=sort) == expected


async def test_filters_combine(api: Api, seeded: dict[str, Any]) -> None:
    work = seeded["work"]["id"]
    assert await _titles(api, completed="true") == ["Date"]
    # As the README says: any letter case, and 1/0.
    assert await _titles(api, completed="TRUE") == ["Date"]
    assert await _titles(api, completed="1") == ["Date"]
    assert await _titles(api, completed="0", sort="title") == ["Banana", "Cherry", "apple pie"]
    assert await _titles(api, completed="false", sort="title") == ["Banana", "Cherry", "apple pie"]
    assert await _titles(api, category_id=work, sort="title") == ["Cherry", "apple pie"]
    assert await _titles(api, priority="high") == ["Banana"]
    assert await _titles(api, q="AN", sort="title") == ["Banana"]
    assert await _titles(api, q="e", category_id=work, priority="low") == ["Cherry"]
    assert await _titles(api, q="%") == []
    assert await _titles(api, q="_") == []


async def test_category_filter_of_nobodys_category_matches_nothing(
    api: Api, seeded: dict[str, Any]
) -> None:
    for category_id in (999, 0, -5, 2**63, 10**30):
        response = await api.get("/tasks", params={"category_id": category_id})
        assert response.status_code == 200
        assert response.json()["items"] == []
        assert response.json()["total"] == 0


async def test_paging(api: Api, seeded: dict[str, Any]) -> None:
    response = await api.get("/tasks", params={"limit": 2, "offset": 1, "sort": "title"})
    body = response.json()
    assert [t["title"] for t in body["items"]] == ["Cherry", "Date"]
    assert (body["total"], body["limit"], body["offset"]) == (4, 2, 1)
    beyond = (await api.get("/tasks", params={"offset": 10})).json()
    assert beyond["items"] == []
    assert beyond["total"] == 4
    assert len((await api.get("/tasks", params={"limit": 100})).json()["items"]) == 4


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": -1}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": "1.5"}, "offset"),
        ({"offset": 2**64}, "offset"),
        ({"sort": "priority"}, "sort"),
        ({"sort": "id"}, "sort"),
        ({"completed": "maybe"}, "completed"),
        ({"priority": "urgent"}, "priority"),
        ({"category_id": "work"}, "category_id"),
        ({"q": "a\x00b"}, "q"),
        # Read strictly: no lax spellings of absent, booleans or integers.
        ({"completed": "null"}, "completed"),
        ({"completed": "yes"}, "completed"),
        ({"priority": "null"}, "priority"),
        ({"category_id": "null"}, "category_id"),
        ({"category_id": "1.0"}, "category_id"),
        ({"limit": "20.0"}, "limit"),
        ({"offset": " 1"}, "offset"),
        ({"sort": "null"}, "sort"),
    ],
)
async def test_invalid_query_is_400(api: Api, params: dict[str, Any], field: str) -> None:
    await api.sign_up()
    assert_problem(await api.get("/tasks", params=params), 400, field=field)


async def test_tasks_list_only_the_callers(api: Api, seeded: dict[str, Any]) -> None:
    await api.sign_up("other@b.io")
    await api.task(title="Mine")
    assert await _titles(api) == ["Mine"]
