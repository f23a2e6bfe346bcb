"""Clients that retry with an Idempotency-Key through database crashes: every key ends
with exactly one task, none lost and none doubled.
"""

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from tests.faults.conftest import Cluster, assert_unavailable, fault_settings, running_app
from tests.http.support import Api
from tests.support.commit_cutter import CommitCutter

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio]

CLIENTS = 8
KEYS_PER_CLIENT = 12
OUTAGES = 3
KEYS_BEFORE_FIRST_CRASH = 2
# What a retrying client waits; shorter than Retry-After so the test stays quick.
CLIENT_BACKOFF_S = 0.05
RETRIED_STATUSES = {409, 503}


@dataclass
class Figures:
    """What the clients saw."""

    requests: int = 0
    retries: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    replayed: int = 0


async def create_until_done(api: Api, auth: dict[str, str], key: str, seen: Figures) -> int:
    """POST the task under ``key`` until a 2xx; each 503, 409 or dropped connection is
    retried with the same key. The created task's id.
    """
    headers = {**auth, "Idempotency-Key": key}
    while True:
        seen.requests += 1
        try:
            response = await api.post("/tasks", json={"title": key}, headers=headers)
        except httpx.TransportError:
            seen.statuses["dropped"] += 1
        else:
            seen.statuses[str(response.status_code)] += 1
            if response.status_code == 201:
                seen.replayed += response.headers.get("Idempotent-Replayed") == "true"
                task_id: int = response.json()["id"]
                return task_id
            assert response.status_code in RETRIED_STATUSES, response.text
        seen.retries += 1
        await asyncio.sleep(CLIENT_BACKOFF_S)


async def test_every_key_has_exactly_one_task_after_database_crashes(
    cluster: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    seen = Figures()
    settings = fault_settings(cluster.url, pool_size=CLIENTS, max_overflow=0)
    async with running_app(settings) as api:
        auths = [await api.sign_up(f"retrier-{n}@example.com") for n in range(CLIENTS)]
        answered: dict[str, int] = {}
        done = asyncio.Event()
        # The first crash waits for every client to have written a few keys, and the
        # clients wait for it: a run fast enough to finish before a timed crash proved
        # nothing, so the first outage always meets clients with keys left to write.
        waiting = 0
        all_waiting, crashed = asyncio.Event(), asyncio.Event()

        async def client(n: int) -> None:
            nonlocal waiting
            for k in range(KEYS_PER_CLIENT):
                if k == KEYS_BEFORE_FIRST_CRASH:
                    waiting += 1
                    if waiting == CLIENTS:
                        all_waiting.set()
                    await crashed.wait()
                key = f"client-{n}-task-{k}"
                answered[key] = await create_until_done(api, auths[n], key, seen)

        async def crash_repeatedly() -> int:
            outages = 0
            for _ in range(OUTAGES):
                # Crash while the clients are busy writing, never after they are done.
                if outages == 0:
                    await all_waiting.wait()
                else:
                    await asyncio.sleep(0.3)
                if done.is_set():
                    break
                await cluster.stop("immediate")
                outages += 1
                crashed.set()
                await asyncio.sleep(0.3)
                await cluster.start()
            return outages

        crashes = asyncio.create_task(crash_repeatedly())
        async with asyncio.timeout(120):
            await asyncio.gather(*(client(n) for n in range(CLIENTS)))
        done.set()
        outages = await crashes
        if not cluster.server.is_running():
            await cluster.start()

    async with cluster.admin() as admin:
        rows = await admin.fetch(
            "SELECT t.title, t.id FROM tasks t JOIN users u ON u.id = t.user_id "
            "WHERE u.email LIKE 'retrier-%'"
        )
        remembered = await admin.fetch(
            "SELECT r.key, r.location FROM remembered_responses r "
            "JOIN users u ON u.id = r.user_id WHERE u.email LIKE 'retrier-%'"
        )
    tasks_per_key = Counter(row["title"] for row in rows)
    keys = {f"client-{n}-task-{k}" for n in range(CLIENTS) for k in range(KEYS_PER_CLIENT)}
    assert outages >= 1
    assert set(tasks_per_key) == keys  # none lost
    assert set(tasks_per_key.values()) == {1}  # none doubled
    # Every client was answered with the one task its key made, and it is remembered.
    assert answered == {row["title"]: row["id"] for row in rows}
    assert {row["key"]: row["location"] for row in remembered} == {
        key: f"/tasks/{task_id}" for key, task_id in answered.items()
    }
    with capsys.disabled():
        print(
            f"\n[idempotent retries] {CLIENTS} clients, {len(keys)} keys, {outages} outages "
            f"(pg_ctl stop -m immediate): {seen.requests} requests, {seen.retries} retries "
            f"({dict(seen.statuses)}), {seen.replayed} answered by a replay; tasks per key: "
            f"min {min(tasks_per_key.values())}, max {max(tasks_per_key.values())}"
        )


@pytest.mark.parametrize("landed", [True, False], ids=["commit-landed", "commit-lost"])
async def test_a_retry_after_a_commit_of_unknown_outcome_creates_once(
    cluster: Cluster, landed: bool
) -> None:
    parts = urlsplit(cluster.url)
    async with CommitCutter(parts.hostname or "127.0.0.1", parts.port or 5432) as proxy:
        proxied = urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{proxy.port}"))
        async with running_app(fault_settings(proxied)) as api:
            await api.sign_up(f"unknown-outcome-{landed}@example.com")
            headers = {"Idempotency-Key": "after-a-lost-commit"}
            proxy.cut_at_commit(1, deliver=landed)
            lost = await api.post("/tasks", json={"title": "once"}, headers=headers)
            # The server cannot know whether the COMMIT landed, so it does not replay it.
            assert_unavailable(lost)
            retry = await api.post("/tasks", json={"title": "once"}, headers=headers)
            assert retry.status_code == 201, retry.text
            # Landed: the retry finds the remembered answer; lost: it runs for the first time.
            assert (retry.headers.get("Idempotent-Replayed") == "true") is landed
            listing = await api.get("/tasks")
            assert listing.json()["total"] == 1
            assert listing.json()["items"][0]["id"] == retry.json()["id"]
