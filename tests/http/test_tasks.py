"""Tasks: create/read/update/delete, strict bodies, ETag and If-Match, ownership."""

from typing import Any

import pytest

from tests.http.support import Api, assert_problem

pytestmark = pytest.mark.asyncio

TASK_FIELDS = {
    "id",
    "title",
    "description",
    "completed",
    "priority",
    "due_at",
    "category_id",
    "processed",
    "processed_at",
    "version",
    "created_at",
    "updated_at",
}
BAD_IDS = ["-1", "0", "99999999999999999999999", "9223372036854775808", "abc", "1e3"]


async def test_create_answers_201_with_location_and_etag(api: Api) -> None:
    await api.sign_up()
    response = await api.post("/tasks", json={"title": "Write"})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == TASK_FIELDS
    assert response.headers["location"] == f"/tasks/{body['id']}"
    assert response.headers["etag"] == '"1"'
    assert body["version"] == 1
    assert body["priority"] == "medium"
    assert body["completed"] is False
    assert body["processed"] is False
    assert body["description"] is None
    assert body["due_at"] is None
    assert body["created_at"].endswith("Z")


async def test_create_with_every_field_normalises_due_at_to_utc(api: Api) -> None:
    await api.sign_up()
    category = await api.category()
    body = await api.task(
        title="Plan",
        description="all of it",
        priority="high",
        due_at="2026-11-25T12:00:00+02:00",
        category_id=category["id"],
    )
    assert body["due_at"] == "2026-11-25T10:00:00Z"
    assert body["priority"] == "high"
    assert body["category_id"] == category["id"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "t", "owner": 1}, "owner"),
        ({"title": "t", "id": 1}, "id"),
        ({"title": "t", "version": 3}, "version"),
        ({"title": "t", "created_at": "2026-01-01T00:00:00Z"}, "created_at"),
        ({"title": "t", "processed": True}, "processed"),
        ({"title": "t", "completed": True}, "completed"),
        ({"title": None}, "title"),
        ({}, "title"),
        ({"title": "t", "priority": None}, "priority"),
        ({"title": "t", "priority": "urgent"}, "priority"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "😀" * 201}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"title": "t", "description": "x" * 10_001}, "description"),
        ({"title": "t", "description": "\x00"}, "description"),
        ({"title": "t", "due_at": "2026-11-25T10:00:00"}, "due_at"),
        ({"title": "t", "due_at": 1764064800}, "due_at"),
        ({"title": "t", "due_at": "tomorrow"}, "due_at"),
        ({"title": "t", "category_id": 2**63}, "category_id"),
        ({"title": "t", "category_id": -(2**63) - 1}, "category_id"),
        ({"title": "t", "category_id": 10**30}, "category_id"),
        ({"title": "t", "category_id": "1"}, "category_id"),
        ({"title": "t", "category_id": 1}, "category_id"),
        ({"title": "t", "category_id": -1}, "category_id"),
        ({"title": "t", "category": {"name": "A"}, "category_id": 1}, "category"),
        ({"title": "t", "category": {"name": "A", "id": 2}}, "category.id"),
        ({"title": "t", "category": {}}, "category.name"),
        ({"title": 5}, "title"),
        ({"title": "t", "category_id": 1.5}, "category_id"),
        ({"title": "t", "category_id": 1e19}, "category_id"),
        ({"title": 5.0}, "title"),
    ],
)
async def test_invalid_task_is_400_naming_the_field(
    api: Api, body: dict[str, Any], field: str
) -> None:
    await api.sign_up()
    assert_problem(await api.post("/tasks", json=body), 400, field=field)
    assert (await api.get("/tasks")).json()["total"] == 0


async def test_title_length_counts_code_points(api: Api) -> None:
    await api.sign_up()
    assert (await api.task(title="😀" * 200))["title"] == "😀" * 200


async def test_malformed_json_is_400(api: Api) -> None:
    await api.sign_up()
    for raw in (b'{"title": ', b"", b"[]", b'"title"', b"\xff\xfe"):
        response = await api.post(
            "/tasks", content=raw, headers={"Content-Type": "application/json"}
        )
        assert_problem(response, 400)


async def test_whole_numbers_written_as_floats_are_integers(api: Api) -> None:
    # JSON Schema (and so the API document) counts 2.0 as an integer.
    await api.sign_up()
    category = await api.category()
    task = await api.task(category_id=float(category["id"]))
    assert task["category_id"] == category["id"]
    response = await api.post("/tasks/process", json={"task_ids": [float(task["id"])]})
    assert response.status_code == 202, response.text
    assert response.json()["total"] == 1


async def test_category_id_of_another_user_is_400(api: Api) -> None:
    await api.sign_up("a@b.io")
    theirs = await api.category()
    await api.sign_up("c@d.io")
    response = await api.post("/tasks", json={"title": "t", "category_id": theirs["id"]})
    assert_problem(response, 400, field="category_id")


async def test_inline_category_is_created_with_the_task(api: Api) -> None:
    await api.sign_up()
    task = await api.task(title="t", category={"name": "Errands", "color": "#ABCDEF"})
    categories = (await api.get("/categories")).json()["items"]
    assert [(c["id"], c["name"], c["color"]) for c in categories] == [
        (task["category_id"], "Errands", "#abcdef")
    ]


async def test_inline_category_name_taken_creates_nothing(api: Api) -> None:
    await api.sign_up()
    await api.category("Errands")
    response = await api.post("/tasks", json={"title": "t", "category": {"name": "ERRANDS"}})
    assert_problem(response, 409)
    assert (await api.get("/tasks")).json()["total"] == 0
    assert (await api.get("/categories")).json()["total"] == 1


async def test_inline_category_invalid_creates_nothing(api: Api) -> None:
    await api.sign_up()
    response = await api.post(
        "/tasks", json={"title": "", "category": {"name": "New", "color": "#000000"}}
    )
    assert_problem(response, 400)
    assert (await api.get("/categories")).json()["total"] == 0


async def test_get_answers_the_task_with_its_etag(api: Api) -> None:
    await api.sign_up()
    task = await api.task()
    response = await api.get(f"/tasks/{task['id']}")
    assert response.status_code == 200
    assert response.json() == task
    assert response.headers["etag"] == '"1"'


async def test_patch_changes_given_fields_and_grows_the_version(api: Api) -> None:
    await api.sign_up()
    category = await api.category()
    task = await api.task(title="old", description="keep")
    path = f"/tasks/{task['id']}"
    changes: list[dict[str, Any]] = [
        {"title": "new"},
        {"completed": True},
        {"priority": "low"},
        {"due_at": "2026-01-01T00:00:00Z"},
        {"category_id": category["id"]},
        {"due_at": None, "category_id": None, "description": None},
    ]
    for version, change in enumerate(changes, start=2):
        response = await api.patch(path, json=change)
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == f'"{version}"'
        assert response.json()["version"] == version
    final = (await api.get(path)).json()
    assert final["title"] == "new"
    assert final["completed"] is True
    assert final["priority"] == "low"
    assert final["due_at"] is None
    assert final["category_id"] is None
    assert final["description"] is None
    assert final["updated_at"] >= task["updated_at"]


async def test_empty_patch_changes_nothing(api: Api) -> None:
    await api.sign_up()
    task = await api.task()
    response = await api.patch(f"/tasks/{task['id']}", json={})
    assert response.status_code == 200
    assert response.json()["version"] == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": None}, "title"),
        ({"completed": None}, "completed"),
        ({"priority": None}, "priority"),
        ({"completed": "true"}, "completed"),
        ({"completed": 1}, "completed"),
        ({"version": 7}, "version"),
        ({"processed": True}, "processed"),
        ({"title": "x" * 201}, "title"),
        ({"due_at": "2026-01-01T00:00:00"}, "due_at"),
        ({"due_at": 0}, "due_at"),
        ({"category_id": 2**64}, "category_id"),
        ({"category_id": 12345}, "category_id"),
        ({"category": {"name": "x"}}, "category"),
    ],
)
async def test_invalid_patch_is_400_and_changes_nothing(
    api: Api, body: dict[str, Any], field: str
) -> None:
    await api.sign_up()
    task = await api.task()
    assert_problem(await api.patch(f"/tasks/{task['id']}", json=body), 400, field=field)
    assert (await api.get(f"/tasks/{task['id']}")).json() == task


async def test_delete_answers_204_without_a_body(api: Api) -> None:
    await api.sign_up()
    task = await api.task()
    response = await api.delete(f"/tasks/{task['id']}")
    assert response.status_code == 204
    assert response.content == b""
    assert_problem(await api.get(f"/tasks/{task['id']}"), 404)
    assert_problem(await api.delete(f"/tasks/{task['id']}"), 404)


async def test_other_users_tasks_are_404(api: Api) -> None:
    await api.sign_up("owner@b.io")
    task = await api.task()
    await api.sign_up("other@b.io")
    path = f"/tasks/{task['id']}"
    assert_problem(await api.get(path), 404)
    assert_problem(await api.patch(path, json={"title": "mine"}), 404)
    assert_problem(await api.delete(path), 404)
    assert (await api.get("/tasks")).json()["total"] == 0


@pytest.mark.parametrize("bad_id", BAD_IDS)
async def test_ids_that_name_nothing_are_404(api: Api, bad_id: str) -> None:
    await api.sign_up()
    await api.task()
    assert_problem(await api.get(f"/tasks/{bad_id}"), 404)
    assert_problem(await api.patch(f"/tasks/{bad_id}", json={"title": "x"}), 404)
    assert_problem(await api.delete(f"/tasks/{bad_id}"), 404)
