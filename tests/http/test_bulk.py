"""``POST /tasks/bulk``: item by item (default) or all-or-nothing."""

from typing import Any

import pytest

from tests.http.support import Api, assert_problem

pytestmark = pytest.mark.asyncio


async def _state(api: Api) -> tuple[list[str], list[str]]:
    tasks = (await api.get("/tasks", params={"sort": "created_at", "limit": 100})).json()
    categories = (await api.get("/categories")).json()
    return [t["title"] for t in tasks["items"]], [c["name"] for c in categories["items"]]


MIXED: list[Any] = [
    {"title": "one"},
    {"title": ""},  # invalid by the domain
    {"title": "two", "category": {"name": "Errands"}},
    {"title": "three", "category": {"name": "errands"}},  # name taken: 409
    {"title": "four", "id": 9},  # schema-invalid: unknown field
    {"title": "five", "due_at": 12},  # schema-invalid: a number as timestamp
    {"title": "six", "category_id": 777},  # not the caller's category
    "not an object",
    {"title": "seven", "category": {"name": "Home"}, "category_id": 1},
    {"title": "eight", "priority": "high"},
]


async def test_non_atomic_creates_the_valid_items_and_reports_the_rest(api: Api) -> None:
    await api.sign_up()
    response = await api.post("/tasks/bulk", json={"items": MIXED})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"created", "errors"}
    assert [t["title"] for t in body["created"]] == ["one", "two", "eight"]
    assert body["created"][2]["priority"] == "high"
    statuses = {e["index"]: e["status"] for e in body["errors"]}
    assert statuses == {1: 400, 3: 409, 4: 400, 5: 400, 6: 400, 7: 400, 8: 400}
    details = {e["index"]: e["detail"] for e in body["errors"]}
    assert "id" in details[4]
    assert "due_at" in details[5]
    assert all(set(e) == {"index", "status", "detail"} for e in body["errors"])
    titles, categories = await _state(api)
    assert titles == ["one", "two", "eight"]
    assert categories == ["Errands"]


async def test_atomic_is_the_default_false(api: Api) -> None:
    await api.sign_up()
    response = await api.post("/tasks/bulk", params={"atomic": "false"}, json={"items": MIXED})
    assert len(response.json()["created"]) == 3


async def test_atomic_success_creates_everything(api: Api) -> None:
    await api.sign_up()
    items = [{"title": f"t{i}"} for i in range(5)] + [{"title": "c", "category": {"name": "X"}}]
    response = await api.post("/tasks/bulk", params={"atomic": "true"}, json={"items": items})
    assert response.status_code == 200
    assert response.json()["errors"] == []
    assert len(response.json()["created"]) == 6
    assert (await _state(api))[1] == ["X"]


@pytest.mark.parametrize(
    ("bad_item", "status", "field"),
    [
        ({"title": ""}, 400, "items[2].title"),
        ({"title": "t", "created_at": "2026-01-01T00:00:00Z"}, 400, "items[2].created_at"),
        ({"title": "t", "category": {"name": "first"}}, 409, None),
        ("not an object", 400, "items[2]"),
        ({"title": "t", "category": {}}, 400, "items[2].category.name"),
    ],
)
async def test_atomic_failure_creates_nothing_and_names_the_index(
    api: Api, bad_item: Any, status: int, field: str | None
) -> None:
    await api.sign_up()
    items = [
        {"title": "a", "category": {"name": "First"}},
        {"title": "b"},
        bad_item,
        {"title": "d"},
    ]
    response = await api.post("/tasks/bulk", params={"atomic": "true"}, json={"items": items})
    body = assert_problem(response, status, field=field)
    assert "item 2" in body["detail"]
    assert await _state(api) == ([], [])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"items": []}, "items"),
        ({"items": [{"title": "t"}] * 1001}, "items"),
        ({"items": None}, "items"),
        ({"items": {"title": "t"}}, "items"),
        ({}, "items"),
        ({"items": [{"title": "t"}], "atomic": True}, "atomic"),
    ],
)
async def test_invalid_envelope_is_400(api: Api, body: dict[str, Any], field: str) -> None:
    await api.sign_up()
    assert_problem(await api.post("/tasks/bulk", json=body), 400, field=field)
    assert (await _state(api))[0] == []


@pytest.mark.parametrize("atomic", ["perhaps", "null", "", "2"])
async def test_atomic_must_be_a_boolean(api: Api, atomic: str) -> None:
    await api.sign_up()
    response = await api.post("/tasks/bulk", params={"atomic": atomic}, json={"items": [{}]})
    assert_problem(response, 400, field="atomic")


async def test_a_thousand_items_are_accepted(api: Api) -> None:
    await api.sign_up()
    items = [{"title": f"task {i}"} for i in range(1000)]
    response = await api.post("/tasks/bulk", json={"items": items})
    assert response.status_code == 200
    assert len(response.json()["created"]) == 1000
    assert (await api.get("/tasks")).json()["total"] == 1000
