"""Idempotency keys once per backend: concurrent duplicates run once, and a replay of
every keyed POST is the first answer, byte for byte.
"""

import asyncio
from collections import Counter
from pathlib import Path
from uuid import uuid4

import pytest

from infrastructure.settings import Settings
from tests.http.backends import BACKENDS, settings_for
from tests.http.support import Api

pytestmark = pytest.mark.asyncio


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    return settings_for(request, tmp_path)


async def test_concurrent_duplicates_create_one_task(api: Api) -> None:
    await api.sign_up(f"dup-{uuid4().hex}@example.com")
    headers = {"Idempotency-Key": "five-at-once"}

    responses = await asyncio.gather(
        *(api.post("/tasks", json={"title": "once"}, headers=headers) for _ in range(5))
    )

    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}
    created = [r for r in responses if r.status_code == 201]
    assert sum("Idempotent-Replayed" not in r.headers for r in created) == 1
    assert len({r.content for r in created}) == 1
    assert all(r.headers["Retry-After"] for r in responses if r.status_code == 409)
    assert (await api.get("/tasks")).json()["total"] == 1


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/tasks", {"title": "t", "category": {"name": "inline"}}, 201),
        ("/categories", {"name": "c", "color": "#ABCDEF"}, 201),
        ("/tasks/bulk", {"items": [{"title": "a"}, {"title": "b", "category_id": 0}]}, 200),
        ("/tasks/process", {"task_ids": [1, 2]}, 202),
    ],
)
async def test_every_keyed_post_replays_its_first_answer(
    api: Api, path: str, body: dict[str, object], status: int
) -> None:
    await api.sign_up(f"replay-{uuid4().hex}@example.com")
    headers = {"Idempotency-Key": f"replay {path}".replace(" ", "-")}
    first = await api.post(path, json=body, headers=headers)
    assert first.status_code == status, first.text
    again = await api.post(path, json=body, headers=headers)
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again.headers.get("Location") == first.headers.get("Location")
    assert again.headers.get("ETag") == first.headers.get("ETag")
    assert again.headers["Idempotent-Replayed"] == "true"
