"""An exhausted pool answers 503 in time, and no request leaks a connection."""

import asyncio
import random
import time
from collections import Counter

import httpx
import pytest

from tests.faults.conftest import (
    FAULT_DATABASE,
    Cluster,
    Request,
    RowLock,
    app_backends,
    assert_none_idle_in_transaction,
    assert_unavailable,
    fault_settings,
    running_app,
    timed,
    wait_for_lock_waiters,
    wait_until_pool_idle,
)
from tests.http.support import Api

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio]

POOL_TIMEOUT = 1.0
FAULT_TIMEOUT = FAULT_DATABASE["timeout"]


async def _sample_connections(cluster: Cluster, stop: asyncio.Event) -> int:
    """The most app backends seen at once until ``stop`` is set."""
    most = 0
    async with cluster.admin() as admin:
        while not stop.is_set():
            most = max(most, len(await app_backends(admin)))
            await asyncio.sleep(0.02)
    return most


async def test_exhausted_pool_answers_503_after_the_pool_timeout(
    cluster: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = fault_settings(cluster.url, pool_size=1, max_overflow=0, pool_timeout=POOL_TIMEOUT)
    async with running_app(settings) as api:
        await api.sign_up("exhausted@example.com")
        task = await api.task(title="held")
        stop_sampling = asyncio.Event()
        sampler = asyncio.create_task(_sample_connections(cluster, stop_sampling))
        async with RowLock(cluster, task["id"]) as lock:
            assert lock.admin is not None
            # The only connection now waits on the row lock inside this PATCH.
            blocked = asyncio.create_task(
                api.patch(f"/tasks/{task['id']}", json={"title": "after the lock"})
            )
            await wait_for_lock_waiters(lock.admin, 1)

            latencies = []
            others: list[Request] = [
                lambda: api.get("/tasks"),
                lambda: api.get(f"/tasks/{task['id']}"),
                lambda: api.post("/tasks", json={"title": "no connection for me"}),
            ]
            for call in others:
                response, elapsed = await timed(call(), POOL_TIMEOUT + 1.5)
                assert_unavailable(response)
                assert POOL_TIMEOUT * 0.9 <= elapsed < POOL_TIMEOUT + 1.5, elapsed
                latencies.append(elapsed)
            # Never a hang: the probe answers within its own deadline either way.
            ready, ready_s = await timed(api.get("/health/ready"), 3)
            assert ready.status_code in (200, 503)
            assert ready_s < 3
            assert not blocked.done()

            await lock.release()
            async with asyncio.timeout(5):
                patched = await blocked
        stop_sampling.set()
        most_connections = await sampler

        assert patched.status_code == 200, patched.text
        assert patched.json()["version"] == 2
        pool = await wait_until_pool_idle(api)
        assert pool["size"] == 1
        # The probe shares the pool, so pool_size + max_overflow bounds everything.
        assert 1 <= most_connections <= 1
    with capsys.disabled():
        figures = ", ".join(f"{s * 1000:.0f} ms" for s in latencies)
        print(
            f"\n[exhaustion] 503 after {figures} (pool_timeout {POOL_TIMEOUT} s); "
            f"ready {ready.status_code} in {ready_s * 1000:.0f} ms; "
            f"at most {most_connections} app connection(s) open (pool 1 + 0)"
        )


async def _mixed_request(api: Api, n: int, task_ids: list[int], category: str) -> int:
    choice = n % 8
    if choice == 0:
        response = await api.get("/tasks", params={"limit": 5})
    elif choice == 1:
        response = await api.get(f"/tasks/{random.choice(task_ids)}")
    elif choice == 2:
        response = await api.get("/tasks/999999999")  # 404
    elif choice == 3:
        response = await api.post("/tasks", json={"title": ""})  # 400
    elif choice == 4:
        response = await api.post("/tasks", json={"title": f"burst {n}"})
    elif choice == 5:
        response = await api.patch(
            f"/tasks/{task_ids[0]}", json={"completed": True}, headers={"If-Match": '"0"'}
        )  # 412
    elif choice == 6:
        response = await api.post("/categories", json={"name": category})  # 409
    else:
        response = await api.patch(
            f"/tasks/{task_ids[n % len(task_ids)]}", json={"priority": "high"}
        )
    return response.status_code


async def test_a_burst_of_mixed_requests_returns_every_connection(cluster: Cluster) -> None:
    settings = fault_settings(cluster.url, pool_size=4, max_overflow=4, pool_timeout=10.0)
    async with running_app(settings) as api:
        await api.sign_up("burst@example.com")
        task_ids = [(await api.task(title=f"seed {n}"))["id"] for n in range(5)]
        await api.category("Taken")

        async with asyncio.timeout(60):
            statuses = Counter(
                await asyncio.gather(
                    *(_mixed_request(api, n, task_ids, "Taken") for n in range(200))
                )
            )

        assert set(statuses) <= {200, 201, 400, 404, 409, 412}, statuses
        assert statuses[404] == statuses[400] == statuses[412] == statuses[409] == 25
        await wait_until_pool_idle(api)
        await assert_none_idle_in_transaction(cluster)


async def test_requests_abandoned_mid_query_return_their_connections(cluster: Cluster) -> None:
    settings = fault_settings(cluster.url, pool_size=3, max_overflow=0, pool_timeout=2.0)
    async with running_app(settings) as api:
        await api.sign_up("abandoned@example.com")
        task = await api.task(title="contended")
        async with RowLock(cluster, task["id"]) as lock:
            assert lock.admin is not None
            abandoned: list[asyncio.Task[httpx.Response]] = [
                asyncio.create_task(api.patch(f"/tasks/{task['id']}", json={"title": f"gone {n}"}))
                for n in range(3)
            ]
            await wait_for_lock_waiters(lock.admin, 3)
            # The clients go away while their requests wait in the database.
            for request in abandoned:
                request.cancel()
            await asyncio.gather(*abandoned, return_exceptions=True)
            assert all(request.cancelled() for request in abandoned)
            await lock.release()

        started = time.monotonic()
        pool = await wait_until_pool_idle(api)
        assert pool["checked_out"] == 0
        await assert_none_idle_in_transaction(cluster)
        # Nothing of the abandoned writes survived, and the pool serves again at once.
        current = await api.get(f"/tasks/{task['id']}")
        assert current.status_code == 200
        assert current.json()["version"] == 1
        assert current.json()["title"] == "contended"
        writes = await asyncio.gather(
            *(api.patch(f"/tasks/{task['id']}", json={"completed": True}) for _ in range(3))
        )
        assert [w.status_code for w in writes] == [200, 200, 200]
        assert time.monotonic() - started < 3
        await wait_until_pool_idle(api)


LIMITED_ROLE = "tasklane_limited"


async def test_a_server_out_of_connection_slots_answers_503(cluster: Cluster) -> None:
    """The server refuses a new connection (53300): 503, not 500, and no hang."""
    async with cluster.admin() as admin:
        await admin.execute(f"CREATE ROLE {LIMITED_ROLE} LOGIN CONNECTION LIMIT 1")
        await admin.execute(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
            f"TO {LIMITED_ROLE}; "
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {LIMITED_ROLE}"
        )
    url = cluster.url.replace("postgres@", f"{LIMITED_ROLE}@", 1)
    try:
        async with running_app(fault_settings(url, pool_size=2, max_overflow=0)) as api:
            await api.sign_up("slots@example.com")
            task = await api.task(title="one slot")
            async with RowLock(cluster, task["id"]) as lock:
                assert lock.admin is not None
                # The role's only connection waits on the lock; a second one is refused.
                blocked = asyncio.create_task(
                    api.patch(f"/tasks/{task['id']}", json={"title": "later"})
                )
                await wait_for_lock_waiters(lock.admin, 1)
                response, elapsed = await timed(api.get("/tasks"), 3)
                assert_unavailable(response)
                assert elapsed < FAULT_TIMEOUT + 2
                await lock.release()
                async with asyncio.timeout(5):
                    assert (await blocked).status_code == 200
            await wait_until_pool_idle(api)
    finally:
        async with cluster.admin() as admin:
            await admin.execute(f"DROP OWNED BY {LIMITED_ROLE}; DROP ROLE {LIMITED_ROLE}")
