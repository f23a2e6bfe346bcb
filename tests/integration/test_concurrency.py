"""Optimistic concurrency and atomic increments under real PostgreSQL concurrency."""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable

import httpx
import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio]

SignUp = Callable[[], Awaitable[dict[str, str]]]


async def _new_task(client: httpx.AsyncClient, auth: dict[str, str]) -> int:
    response = await client.post("/tasks", json={"title": "contended"}, headers=auth)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def test_same_if_match_from_twenty_writers_lets_exactly_one_win(
    pg_client: httpx.AsyncClient, sign_up: SignUp
) -> None:
    auth = await sign_up()
    task_id = await _new_task(pg_client, auth)
    headers = {**auth, "If-Match": '"1"'}

    async def patch(n: int) -> httpx.Response:
        body = {"title": f"writer {n}"}
        return await pg_client.patch(f"/tasks/{task_id}", json=body, headers=headers)

    responses = await asyncio.gather(*(patch(n) for n in range(20)))

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 412: 19}
    winner = next(r for r in responses if r.status_code == 200)
    final = await pg_client.get(f"/tasks/{task_id}", headers=auth)
    assert final.json()["version"] == 2
    assert final.json()["title"] == winner.json()["title"]
    assert final.headers["ETag"] == '"2"'


async def test_fifty_unconditional_writers_lose_no_increment(
    pg_client: httpx.AsyncClient, sign_up: SignUp
) -> None:
    auth = await sign_up()
    task_id = await _new_task(pg_client, auth)

    async def patch(n: int) -> httpx.Response:
        body = {"completed": n % 2 == 0}
        return await pg_client.patch(f"/tasks/{task_id}", json=body, headers=auth)

    responses = await asyncio.gather(*(patch(n) for n in range(50)))

    assert {r.status_code for r in responses} == {200}
    assert sorted(r.json()["version"] for r in responses) == list(range(2, 52))
    final = await pg_client.get(f"/tasks/{task_id}", headers=auth)
    assert final.json()["version"] == 51


async def test_a_hundred_concurrent_creates_are_all_stored(
    pg_client: httpx.AsyncClient, sign_up: SignUp
) -> None:
    auth = await sign_up()

    async def create(n: int) -> httpx.Response:
        return await pg_client.post("/tasks", json={"title": f"task {n}"}, headers=auth)

    responses = await asyncio.gather(*(create(n) for n in range(100)))

    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 100
    listing = await pg_client.get("/tasks", params={"limit": 100}, headers=auth)
    assert listing.json()["total"] == 100
    assert len(listing.json()["items"]) == 100


async def test_concurrent_deletes_with_the_same_if_match_delete_once(
    pg_client: httpx.AsyncClient, sign_up: SignUp
) -> None:
    auth = await sign_up()
    task_id = await _new_task(pg_client, auth)
    headers = {**auth, "If-Match": '"1"'}

    responses = await asyncio.gather(
        *(pg_client.delete(f"/tasks/{task_id}", headers=headers) for _ in range(10))
    )

    statuses = Counter(r.status_code for r in responses)
    assert statuses[204] == 1
    assert statuses[204] + statuses[404] + statuses[412] == 10


async def test_a_hundred_concurrent_reads_all_answer(
    pg_client: httpx.AsyncClient, sign_up: SignUp
) -> None:
    # Reads skip BEGIN on a direct connection; through a transaction-mode pooler they
    # must not, or asyncpg's prepare and execute land on different servers.
    auth = await sign_up()
    task_id = await _new_task(pg_client, auth)

    async def read(_: int) -> httpx.Response:
        return await pg_client.get(f"/tasks/{task_id}", headers=auth)

    responses = await asyncio.gather(*(read(n) for n in range(100)))

    assert Counter(r.status_code for r in responses) == {200: 100}
