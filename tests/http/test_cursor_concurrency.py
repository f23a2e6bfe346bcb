"""Walking 1,000 tasks by cursor under every sort while another client inserts and
deletes tasks: no task is seen twice, every task that existed throughout is seen, on
SQLite and PostgreSQL.
"""

import asyncio
import itertools
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from infrastructure.settings import Settings
from tests.http.backends import settings_for
from tests.http.support import Api

pytestmark = pytest.mark.asyncio

TASKS = 1000
SORTS = ["created_at", "-created_at", "due_at", "-due_at", "title", "-title"]
# Few distinct values: many ties, and a third of the tasks without a due date.
TITLES = ["alpha", "Beta", "gamma", "ämne", "delta", "zeta", "Ω"]
DUES = ["2026-01-01T00:00:00Z", None, "2026-03-01T00:00:00Z", None, "2026-02-01T00:00:00Z", None]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    return settings_for(request, tmp_path)


class Writer:
    """Another client of the same user: each round creates a task and deletes one;
    remembers what it created and deleted.
    """

    def __init__(self, api: Api, originals: list[int]) -> None:
        self.api = api
        self.victims = list(originals)
        self.created: set[int] = set()
        self.deleted: set[int] = set()
        self._counter = itertools.count()

    async def round(self) -> None:
        n = next(self._counter)
        task = await self.api.task(title=TITLES[n % len(TITLES)], due_at=DUES[n % len(DUES)])
        self.created.add(task["id"])
        # Alternately one of the first thousand (from the middle of every order) and one
        # of its own.
        pool = self.victims if n % 2 == 0 else sorted(self.created - self.deleted)
        victim = pool.pop(len(pool) // 2)
        response = await self.api.delete(f"/tasks/{victim}")
        assert response.status_code == 204, response.text
        self.deleted.add(victim)


async def walk(
    api: Api, sort: str, limit: int, writer: Writer | None = None
) -> tuple[list[int], dict[str, Any]]:
    """Follow the cursors to the last page; with ``writer``, each page is asked for while
    the writer creates and deletes a task.
    """
    seen: list[int] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"sort": sort, "limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        if writer is None:
            response = await api.get("/tasks", params=params)
        else:
            response, _ = await asyncio.gather(api.get("/tasks", params=params), writer.round())
        assert response.status_code == 200, response.text
        page = response.json()
        seen += [task["id"] for task in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen, page


async def test_walks_see_each_lasting_task_once_while_others_write(api: Api) -> None:
    await api.sign_up(f"walker-{uuid4().hex}@example.com")
    items = [
        {"title": TITLES[n % len(TITLES)], "due_at": DUES[n % len(DUES)]} for n in range(TASKS)
    ]
    bulk = await api.post("/tasks/bulk", json={"items": items})
    assert bulk.status_code == 200, bulk.text
    originals = [task["id"] for task in bulk.json()["created"]]
    writer = Writer(Api(api.client, dict(api.auth)), originals)

    for sort in SORTS:
        seen, last = await walk(api, sort, 37, writer)
        assert len(seen) == len(set(seen)), f"{sort}: a task was seen twice"
        lasting = set(originals) - writer.deleted
        assert lasting <= set(seen), f"{sort}: {len(lasting - set(seen))} lasting tasks missed"
        assert set(seen) <= set(originals) | writer.created
        assert last["next_cursor"] is None

        # Quiet now: a walk sees exactly what exists, and every page's total counts it.
        live = (set(originals) | writer.created) - writer.deleted
        quiet, last = await walk(api, sort, limit=100)
        assert sorted(quiet) == sorted(live)
        assert last["total"] == len(live)
