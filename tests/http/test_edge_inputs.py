"""Inputs that once answered 500, on every backend: timestamps whose UTC instant leaves
the calendar, ``If-Match`` versions past 32 bits, searches too long for SQLite."""

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
import pytest_asyncio

from domain.ids import TaskId
from domain.unit_of_work import UnitOfWork
from infrastructure.persistence.memory import InMemoryStore, InMemoryUnitOfWork
from infrastructure.settings import DatabaseSettings, Settings
from tests.http.conftest import FAST
from tests.http.support import Api, assert_problem

pytestmark = pytest.mark.asyncio

OFF_THE_CALENDAR = ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"]
BEYOND_INT32 = ["2147483648", "9223372036854775807"]
# The contract's figure (API.md), not the code's constant: the test pins the promise.
MAX_QUERY_LENGTH = 200


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test: migrating every time is slow."""
    from infrastructure.persistence.sqlalchemy.schema_upgrade import upgrade_schema

    path = tmp_path_factory.mktemp("edge") / "template.db"
    upgrade_schema(DatabaseSettings(url=f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Sync on purpose: migrations run their own event loop."""
    if request.param == "memory":
        return FAST
    if request.param == "postgres":
        # Shared with other suites: users below are unique per test, so nothing collides.
        database = DatabaseSettings(url=request.getfixturevalue("migrated_postgres_url"))
    else:
        shutil.copyfile(request.getfixturevalue("sqlite_template"), tmp_path / "t.db")
        database = DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path}/t.db")
    return replace(FAST, persistence="sql", database=database)


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


@pytest.fixture
def unit_of_work_factory(
    settings: Settings, store: InMemoryStore
) -> Callable[[], UnitOfWork] | None:
    """In memory, units of work on a store the test can reach; SQL keeps its own."""
    if settings.persistence == "memory":
        return lambda: InMemoryUnitOfWork(store)
    return None


@pytest_asyncio.fixture
async def me(api: Api) -> Api:
    await api.sign_up(f"edge-{uuid4().hex}@example.com")
    return api


async def set_version(settings: Settings, store: InMemoryStore, task_id: int, version: int) -> None:
    """Jump a stored task to ``version`` (no one edits a task two billion times in a test)."""
    if settings.persistence == "memory":
        store.tasks[TaskId(task_id)] = replace(store.tasks[TaskId(task_id)], version=version)
        return
    from sqlalchemy import text

    from infrastructure.persistence.sqlalchemy import build_engine

    engine = build_engine(settings.database, production=False)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text("UPDATE tasks SET version = :version WHERE id = :id"),
                {"version": version, "id": task_id},
            )
    finally:
        await engine.dispose()


def fields_of(body: dict[str, Any]) -> list[str]:
    return [error["field"] for error in body.get("errors", [])]


@pytest.mark.parametrize("due_at", OFF_THE_CALENDAR)
class TestDueAtOffTheCalendar:
    async def test_create_is_400_naming_due_at(self, me: Api, due_at: str) -> None:
        assert_problem(
            await me.post("/tasks", json={"title": "t", "due_at": due_at}), 400, field="due_at"
        )
        assert (await me.get("/tasks")).json()["total"] == 0

    async def test_update_is_400_and_changes_nothing(self, me: Api, due_at: str) -> None:
        task = await me.task()
        path = f"/tasks/{task['id']}"
        assert_problem(await me.patch(path, json={"due_at": due_at}), 400, field="due_at")
        assert (await me.get(path)).json() == task

    async def test_a_bulk_item_fails_alone(self, me: Api, due_at: str) -> None:
        items = [{"title": "a"}, {"title": "b", "due_at": due_at}, {"title": "c"}]
        response = await me.post("/tasks/bulk", json={"items": items})
        assert response.status_code == 200, response.text
        body = response.json()
        assert [task["title"] for task in body["created"]] == ["a", "c"]
        [error] = body["errors"]
        assert (error["index"], error["status"]) == (1, 400)
        assert "due_at" in error["detail"]

    async def test_an_atomic_bulk_fails_whole(self, me: Api, due_at: str) -> None:
        items = [{"title": "a"}, {"title": "b", "due_at": due_at}]
        response = await me.post("/tasks/bulk", params={"atomic": "true"}, json={"items": items})
        assert_problem(response, 400, field="items[1].due_at")
        assert (await me.get("/tasks")).json()["total"] == 0


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
        ("9999-12-31T23:59:59+01:00", "9999-12-31T22:59:59Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
        ("0001-01-01T00:00:00-01:00", "0001-01-01T01:00:00Z"),
    ],
)
async def test_due_at_at_the_ends_of_the_calendar_is_kept(me: Api, given: str, stored: str) -> None:
    task = await me.task(due_at=given)
    assert task["due_at"] == stored
    assert (await me.get(f"/tasks/{task['id']}")).json()["due_at"] == stored
    listed = (await me.get("/tasks", params={"sort": "-due_at"})).json()["items"]
    assert [item["due_at"] for item in listed] == [stored]


@pytest.mark.parametrize("version", BEYOND_INT32)
@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
async def test_if_match_beyond_int32_is_412(me: Api, method: str, version: str) -> None:
    task = await me.task()
    path = f"/tasks/{task['id']}"
    response = await me.request(
        method, path, json={"title": "x"}, headers={"If-Match": f'"{version}"'}
    )
    assert_problem(response, 412)
    assert (await me.get(path)).json() == task


async def test_a_version_past_2_31_works(me: Api, settings: Settings, store: InMemoryStore) -> None:
    task = await me.task()
    path = f"/tasks/{task['id']}"
    await set_version(settings, store, task["id"], 2**31 + 5)
    assert (await me.get(path)).headers["etag"] == '"2147483653"'

    updated = await me.patch(path, json={"title": "on"}, headers={"If-Match": '"2147483653"'})
    assert updated.status_code == 200, updated.text
    assert updated.json()["version"] == 2**31 + 6
    assert updated.headers["etag"] == '"2147483654"'
    stale = await me.patch(path, json={"title": "lost"}, headers={"If-Match": '"2147483653"'})
    assert_problem(stale, 412)
    assert (await me.patch(path, json={"completed": True})).json()["version"] == 2**31 + 7
    assert_problem(await me.delete(path, headers={"If-Match": '"2147483654"'}), 412)
    assert (await me.delete(path, headers={"If-Match": '"2147483655"'})).status_code == 204


class TestSearchBound:
    async def test_the_longest_search_runs(self, me: Api) -> None:
        q = "%😀_" * (MAX_QUERY_LENGTH // 3) + "ß" * (MAX_QUERY_LENGTH % 3)
        assert len(q) == MAX_QUERY_LENGTH
        await me.task(title=q)
        await me.task(title="other")
        listing = await me.get("/tasks", params={"q": q})
        assert listing.status_code == 200, listing.text
        assert [task["title"] for task in listing.json()["items"]] == [q]

    @pytest.mark.parametrize("length", [MAX_QUERY_LENGTH + 1, 50_001])
    async def test_a_longer_search_is_400(self, me: Api, length: int) -> None:
        assert_problem(await me.get("/tasks", params={"q": "a" * length}), 400, field="q")

    async def test_the_bound_counts_code_points(self, me: Api) -> None:
        # 200 characters of four UTF-8 bytes each: within the bound.
        listing = await me.get("/tasks", params={"q": "😀" * MAX_QUERY_LENGTH})
        assert listing.status_code == 200, listing.text
        assert_problem(await me.get("/tasks", params={"q": "😀" * 201}), 400, field="q")

    async def test_the_bound_is_in_the_openapi_document(self, me: Api) -> None:
        document = (await me.get("/schema/openapi.json")).json()
        [q] = [p for p in document["paths"]["/tasks"]["get"]["parameters"] if p["name"] == "q"]
        assert q["schema"]["maxLength"] == MAX_QUERY_LENGTH
