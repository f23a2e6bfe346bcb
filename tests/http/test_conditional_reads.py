"""Conditional reads on every backend: ``If-None-Match`` naming the current ``ETag`` (or
``*``) answers 304 with the tag and no body; after a change the old tag gets a 200 with
the new one; a malformed header gets the full answer."""

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from sqlalchemy import Engine, event

from infrastructure.settings import Settings
from tests.http.backends import BACKENDS, settings_for
from tests.http.support import Api, assert_problem

pytestmark = pytest.mark.asyncio

MALFORMED = ["1", '"1', 'w/"1"', '"1" "2"', "garbage, *", "\x7f"]


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    chosen = settings_for(request, tmp_path)
    # No job worker polling the database between the statements a test counts.
    return replace(chosen, jobs=replace(chosen.jobs, workers=0))


async def _sign_up(api: Api) -> None:
    # Unique per run: the PostgreSQL database is shared with other suites.
    await api.sign_up(f"ada-{uuid4().hex}@example.com")


def assert_not_modified(response: httpx.Response, tag: str) -> None:
    assert response.status_code == 304, response.text
    assert response.headers["etag"] == tag
    assert response.content == b""
    assert "content-type" not in response.headers
    assert response.headers["x-request-id"]


async def assert_conditional(api: Api, path: str, **params: Any) -> str:
    """``path`` answers with an ETag, and 304 for it in every form; returns the tag."""
    full = await api.get(path, params=params)
    assert full.status_code == 200, full.text
    tag = full.headers["etag"]
    opaque = tag.removeprefix("W/")
    for sent in (tag, opaque, f"W/{opaque}", "*", f'"other", {tag}', f" ,{opaque} , "):
        headers = {"If-None-Match": sent, "X-Request-ID": "req-304"}
        conditional = await api.get(path, params=params, headers=headers)
        assert_not_modified(conditional, tag)
        assert conditional.headers["x-request-id"] == "req-304"
    for sent in ('"other"', *MALFORMED):
        again = await api.get(path, params=params, headers={"If-None-Match": sent})
        assert again.status_code == 200, sent
        assert again.headers["etag"] == tag
        assert again.json() == full.json()
    return tag


async def assert_changed(api: Api, path: str, stale: str, **params: Any) -> str:
    """The ``stale`` tag now gets the full answer with a new tag; returns the new tag."""
    response = await api.get(path, params=params, headers={"If-None-Match": stale})
    assert response.status_code == 200, response.text
    assert response.headers["etag"] != stale
    assert response.json()
    return response.headers["etag"]


async def test_a_task_read_is_conditional_on_its_version(api: Api) -> None:
    await _sign_up(api)
    task = await api.task()
    path = f"/tasks/{task['id']}"
    assert await assert_conditional(api, path) == '"1"'

    assert (await api.patch(path, json={"completed": True})).status_code == 200
    assert await assert_changed(api, path, '"1"') == '"2"'
    assert await assert_conditional(api, path) == '"2"'


async def test_a_task_list_carries_a_weak_tag_of_the_page(api: Api) -> None:
    await _sign_up(api)
    empty = await assert_conditional(api, "/tasks")
    assert empty.startswith('W/"')
    # A filter no category can match skips the read; its empty page is tagged the same.
    assert await assert_conditional(api, "/tasks", category_id=2**63) == empty

    task = await api.task(title="first")
    one = await assert_changed(api, "/tasks", empty)
    assert await assert_conditional(api, "/tasks") == one
    await api.patch(f"/tasks/{task['id']}", json={"priority": "high"})
    patched = await assert_changed(api, "/tasks", one)

    await api.task(title="second")
    first_page = await assert_conditional(api, "/tasks", limit=1, sort="title")
    assert first_page != await assert_changed(api, "/tasks", patched)
    # The first page still holds only "first", but its total has changed.
    await api.task(title="third")
    assert (await api.get("/tasks", params={"limit": 1, "sort": "title"})).json()["items"][0][
        "title"
    ] == "first"
    await assert_changed(api, "/tasks", first_page, limit=1, sort="title")


async def test_a_category_read_is_conditional_on_its_content(api: Api) -> None:
    await _sign_up(api)
    category = await api.category("Work")
    path = f"/categories/{category['id']}"
    tag = await assert_conditional(api, path)
    assert tag.startswith('W/"')

    assert (await api.patch(path, json={"name": "Play"})).status_code == 200
    renamed = await assert_changed(api, path, tag)
    assert await assert_conditional(api, path) == renamed
    assert (await api.patch(path, json={"color": "#00ff00"})).status_code == 200
    await assert_changed(api, path, renamed)


async def test_a_category_list_carries_a_weak_tag_of_the_page(api: Api) -> None:
    await _sign_up(api)
    category = await api.category("Work")
    tag = await assert_conditional(api, "/categories")
    await api.patch(f"/categories/{category['id']}", json={"name": "Play"})
    renamed = await assert_changed(api, "/categories", tag)
    await api.category("Home")
    await assert_changed(api, "/categories", renamed)


async def test_no_representation_no_304(api: Api) -> None:
    await _sign_up(api)
    task = await api.task()
    category = await api.category()
    await api.sign_up(f"eve-{uuid4().hex}@example.com")
    for path in (f"/tasks/{task['id']}", f"/categories/{category['id']}", "/tasks/0"):
        assert_problem(await api.get(path, headers={"If-None-Match": "*"}), 404)
    unauthenticated = await api.client.get("/tasks", headers={"If-None-Match": "*"})
    assert_problem(unauthenticated, 401)


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every SQL statement any engine runs while the test does."""
    run: list[str] = []

    def record(*args: Any) -> None:
        run.append(args[2])

    event.listen(Engine, "before_cursor_execute", record)
    yield run
    event.remove(Engine, "before_cursor_execute", record)


@pytest.mark.parametrize(
    "settings", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
async def test_a_304_costs_the_same_read_as_the_200(
    api: Api, settings: Settings, statements: list[str]
) -> None:
    assert settings.jobs.workers == 0
    await _sign_up(api)
    task = await api.task()
    category = await api.category()
    for path in ("/tasks", f"/tasks/{task['id']}", "/categories", f"/categories/{category['id']}"):
        tag = (await api.get(path)).headers["etag"]
        statements.clear()
        assert (await api.get(path)).status_code == 200
        full = list(statements)
        statements.clear()
        assert (await api.get(path, headers={"If-None-Match": tag})).status_code == 304
        assert statements == full, path
        # One read (SQLite's explicit BEGIN aside): a 304 is no dearer than the 200.
        assert len([sql for sql in full if not sql.startswith("BEGIN")]) == 1, full
