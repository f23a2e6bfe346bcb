"""Idempotency keys under real PostgreSQL concurrency: one key, one effect."""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable

import httpx
import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio]

SignUp = Callable[[], Awaitable[dict[str, str]]]


async def test_twenty_concurrent_duplicates_create_exactly_one_task(
    pg_client: httpx.AsyncClient, sign_up: SignUp
) -> None:
    auth = await sign_up()
    headers = {**auth, "Idempotency-Key": "twenty-at-once"}
    body = {"title": "exactly once", "category": {"name": "once"}}

    responses = await asyncio.gather(
        *(pg_client.post("/tasks", json=body, headers=headers) for _ in range(20))
    )

    statuses = Counter(r.status_code for r in responses)
    print(f"twenty duplicates answered {dict(statuses)}")
    assert set(statuses) <= {201, 409}, [r.text for r in responses]
    assert statuses[201] >= 1
    created = [r for r in responses if r.status_code == 201]
    # Every 201 is the one first answer: the original or its replay.
    assert len({r.content for r in created}) == 1
    assert sum("Idempotent-Replayed" not in r.headers for r in created) == 1
    for busy in (r for r in responses if r.status_code == 409):
        assert int(busy.headers["Retry-After"]) >= 1
        assert busy.json()["type"] == "https://tasklane.dev/problems/request-in-progress"
    listing = await pg_client.get("/tasks", headers=auth)
    assert listing.json()["total"] == 1
    assert (await pg_client.get("/categories", headers=auth)).json()["total"] == 1
    # A retry now gets the 201 replayed.
    final = await pg_client.post("/tasks", json=body, headers=headers)
    assert final.status_code == 201
    assert final.headers["Idempotent-Replayed"] == "true"
    assert final.content == created[0].content
    assert final.headers["Location"] == f"/tasks/{listing.json()['items'][0]['id']}"


async def test_concurrent_keyed_writes_of_different_keys_all_run(
    pg_client: httpx.AsyncClient, sign_up: SignUp
) -> None:
    auth = await sign_up()

    async def create(n: int) -> httpx.Response:
        headers = {**auth, "Idempotency-Key": f"key-{n}"}
        return await pg_client.post("/tasks", json={"title": f"task {n}"}, headers=headers)

    responses = await asyncio.gather(*(create(n) for n in range(20)))

    assert Counter(r.status_code for r in responses) == {201: 20}
    assert (await pg_client.get("/tasks", headers=auth)).json()["total"] == 20
