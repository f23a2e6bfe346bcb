"""The key HTTP flows once per backend: in memory, on a migrated SQLite file, and on
the run's PostgreSQL database (skipped when none answers)."""

from pathlib import Path
from uuid import uuid4

import pytest

from infrastructure.settings import Settings
from tests.http.backends import BACKENDS, settings_for
from tests.http.support import Api, assert_problem

pytestmark = pytest.mark.asyncio


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    return settings_for(request, tmp_path)


async def test_key_flows(api: Api) -> None:
    ada = f"ada-{uuid4().hex}@example.com"
    await api.sign_up(ada)
    assert (await api.get("/auth/me")).json()["email"] == ada
    assert_problem(
        await api.post("/auth/register", json={"email": ada.upper(), "password": "x" * 9}), 409
    )

    category = await api.category("Work", color="#ABCDEF")
    assert category["color"] == "#abcdef"
    assert category["created_at"].endswith("Z")
    assert_problem(await api.post("/categories", json={"name": "work"}), 409)

    created = await api.post(
        "/tasks",
        json={
            "title": "😀" * 200,
            "due_at": "2026-11-25T12:00:00+02:00",
            "category_id": category["id"],
        },
    )
    assert created.status_code == 201
    task = created.json()
    assert created.headers["location"] == f"/tasks/{task['id']}"
    assert task["due_at"] == "2026-11-25T10:00:00Z"
    assert task["created_at"].endswith("Z")
    path = f"/tasks/{task['id']}"

    updated = await api.patch(path, json={"completed": True}, headers={"If-Match": '"1"'})
    assert updated.headers["etag"] == '"2"'
    assert_problem(await api.patch(path, json={"title": "late"}, headers={"If-Match": '"1"'}), 412)
    assert (await api.get(path)).json()["title"] == "😀" * 200

    inline = await api.post("/tasks", json={"title": "t", "category": {"name": "WORK"}})
    assert_problem(inline, 409)

    bulk = await api.post(
        "/tasks/bulk",
        json={
            "items": [{"title": "b1"}, {"title": ""}, {"title": "b3", "category": {"name": "work"}}]
        },
    )
    assert [t["title"] for t in bulk.json()["created"]] == ["b1"]
    assert [(e["index"], e["status"]) for e in bulk.json()["errors"]] == [(1, 400), (2, 409)]
    atomic = await api.post(
        "/tasks/bulk", params={"atomic": "true"}, json={"items": [{"title": "a1"}, {"title": ""}]}
    )
    assert_problem(atomic, 400)

    listing = (await api.get("/tasks", params={"sort": "title", "limit": 1})).json()
    assert listing["total"] == 2
    assert listing["limit"] == 1
    assert (await api.get("/tasks", params={"category_id": 2**63})).json()["total"] == 0

    assert (await api.delete(f"/categories/{category['id']}")).status_code == 204
    after = (await api.get(path)).json()
    assert after["category_id"] is None
    assert after["version"] == 3
    assert (await api.delete(path, headers={"If-Match": '"3"'})).status_code == 204
    assert_problem(await api.get(path), 404)

    await api.sign_up(f"eve-{uuid4().hex}@example.com")
    assert (await api.get("/tasks")).json()["total"] == 0


async def test_health(api: Api, settings: Settings) -> None:
    assert (await api.get("/health/ready")).status_code == 200
    database = (await api.get("/health/database")).json()
    assert database["healthy"] is True
    if settings.persistence == "sql":
        pool = database["pool"]
        assert pool is None or min(pool.values()) >= 0
