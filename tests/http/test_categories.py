"""Categories: CRUD, per-user name uniqueness ignoring case, colours, ownership."""

import pytest

from tests.http.support import Api, assert_problem

pytestmark = pytest.mark.asyncio

BAD_IDS = ["-1", "0", "99999999999999999999999", "9223372036854775808", "abc", "1.5"]


async def test_create_answers_201_with_the_category(api: Api) -> None:
    await api.sign_up()
    response = await api.post("/categories", json={"name": "Work", "color": "#AABBCC"})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "color", "created_at", "updated_at"}
    assert body["name"] == "Work"
    assert body["color"] == "#aabbcc"
    assert body["created_at"].endswith("Z")


async def test_color_is_optional(api: Api) -> None:
    await api.sign_up()
    assert (await api.category("Home"))["color"] is None
    assert (await api.category("Garden", color=None))["color"] is None


async def test_name_taken_in_another_case_is_409(api: Api) -> None:
    await api.sign_up()
    await api.category("Work")
    assert_problem(await api.post("/categories", json={"name": "WORK"}), 409)


async def test_names_are_unique_per_user_only(api: Api) -> None:
    await api.sign_up("a@b.io")
    await api.category("Work")
    await api.sign_up("c@d.io")
    assert (await api.category("Work"))["name"] == "Work"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 65}, "name"),
        ({"name": "a\x00b"}, "name"),
        ({"name": None}, "name"),
        ({}, "name"),
        ({"name": "Work", "color": "red"}, "color"),
        ({"name": "Work", "color": "#abc"}, "color"),
        ({"name": "Work", "color": "#aabbccdd"}, "color"),
        ({"name": "Work", "id": 5}, "id"),
        ({"name": "Work", "updated_at": "2026-01-01T00:00:00Z"}, "updated_at"),
        ({"name": 5}, "name"),
    ],
)
async def test_invalid_category_is_400(api: Api, body: dict[str, object], field: str) -> None:
    await api.sign_up()
    assert_problem(await api.post("/categories", json=body), 400, field=field)


async def test_name_length_counts_code_points(api: Api) -> None:
    await api.sign_up()
    assert (await api.category("🙂" * 64))["name"] == "🙂" * 64
    assert_problem(await api.post("/categories", json={"name": "🙂" * 65}), 400, field="name")


async def test_list_get_patch_delete(api: Api) -> None:
    await api.sign_up()
    first = await api.category("A")
    second = await api.category("B", color="#000000")
    listing = (await api.get("/categories")).json()
    assert listing == {
        "items": [first, second],
        "total": 2,
        "limit": 20,
        "offset": 0,
        "next_cursor": None,
    }
    page = (await api.get("/categories", params={"limit": 1, "offset": 1})).json()
    assert page["items"] == [second]
    assert page["total"] == 2
    assert (await api.get(f"/categories/{first['id']}")).json() == first

    renamed = await api.patch(f"/categories/{first['id']}", json={"name": "A2", "color": "#FFFFFF"})
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "A2"
    assert renamed.json()["color"] == "#ffffff"
    cleared = await api.patch(f"/categories/{first['id']}", json={"color": None})
    assert cleared.json()["color"] is None
    assert cleared.json()["name"] == "A2"
    unchanged = await api.patch(f"/categories/{first['id']}", json={})
    assert unchanged.status_code == 200
    assert unchanged.json()["name"] == "A2"

    deleted = await api.delete(f"/categories/{first['id']}")
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert_problem(await api.get(f"/categories/{first['id']}"), 404)
    assert_problem(await api.delete(f"/categories/{first['id']}"), 404)


async def test_patch_to_a_taken_name_is_409(api: Api) -> None:
    await api.sign_up()
    await api.category("Work")
    home = await api.category("Home")
    assert_problem(await api.patch(f"/categories/{home['id']}", json={"name": "work"}), 409)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"color": "blue"}, "color"),
        ({"id": 1}, "id"),
    ],
)
async def test_invalid_patch_is_400(api: Api, body: dict[str, object], field: str) -> None:
    await api.sign_up()
    category = await api.category()
    assert_problem(await api.patch(f"/categories/{category['id']}", json=body), 400, field=field)


async def test_deleting_a_category_keeps_its_tasks_uncategorised(api: Api) -> None:
    await api.sign_up()
    category = await api.category()
    task = await api.task(category_id=category["id"])
    assert (await api.delete(f"/categories/{category['id']}")).status_code == 204
    after = (await api.get(f"/tasks/{task['id']}")).json()
    assert after["category_id"] is None
    assert after["version"] == task["version"] + 1


async def test_other_users_categories_are_404(api: Api) -> None:
    await api.sign_up("owner@b.io")
    category = await api.category()
    await api.sign_up("other@b.io")
    path = f"/categories/{category['id']}"
    assert_problem(await api.get(path), 404)
    assert_problem(await api.patch(path, json={"name": "Mine"}), 404)
    assert_problem(await api.delete(path), 404)
    assert (await api.get("/categories")).json()["total"] == 0


@pytest.mark.parametrize("bad_id", BAD_IDS)
async def test_ids_that_name_nothing_are_404(api: Api, bad_id: str) -> None:
    await api.sign_up()
    assert_problem(await api.get(f"/categories/{bad_id}"), 404)
    assert_problem(await api.patch(f"/categories/{bad_id}", json={"name": "x"}), 404)
    assert_problem(await api.delete(f"/categories/{bad_id}"), 404)


@pytest.mark.parametrize(
    "query", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "ten"}, {"offset": "x"}]
)
async def test_window_out_of_range_is_400(api: Api, query: dict[str, object]) -> None:
    await api.sign_up()
    body = assert_problem(await api.get("/categories", params=query), 400)
    assert body["errors"][0]["field"] in query
