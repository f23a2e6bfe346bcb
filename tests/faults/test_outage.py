"""The database goes down and comes back while the app keeps running."""

import asyncio
import time

import pytest

from tests.faults.conftest import (
    FAULT_DATABASE,
    Cluster,
    Request,
    RowLock,
    assert_unavailable,
    fault_settings,
    running_app,
    timed,
    wait_for_lock_waiters,
    wait_until_pool_idle,
)
from tests.http.support import Api

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio]

DATABASE_TIMEOUT = FAULT_DATABASE["timeout"]
HEALTH_LIMIT_S = 3.0
REQUEST_LIMIT_S = DATABASE_TIMEOUT + 2
RECOVERY_LIMIT_S = 10.0


async def _requests_during_outage(api: Api, task_id: int) -> dict[str, float]:
    """Every kind of request answers 503 fast; returns what each was sent as."""
    calls: dict[str, Request] = {
        "list": lambda: api.get("/tasks"),
        "get": lambda: api.get(f"/tasks/{task_id}"),
        "create": lambda: api.post(
            "/tasks", json={"title": "during outage", "category": {"name": "Outage"}}
        ),
        "patch": lambda: api.patch(f"/tasks/{task_id}", json={"title": "changed during outage"}),
        "bulk": lambda: api.post(
            "/tasks/bulk",
            params={"atomic": "true"},
            json={"items": [{"title": f"bulk {n}"} for n in range(3)]},
        ),
        "categories": lambda: api.get("/categories"),
    }
    latencies: dict[str, float] = {}
    for name, call in calls.items():
        response, elapsed = await timed(call(), REQUEST_LIMIT_S)
        assert_unavailable(response)
        assert elapsed < REQUEST_LIMIT_S, (name, elapsed)
        latencies[name] = elapsed
    return latencies


async def _wait_until_recovered(api: Api, task_id: int) -> float:
    """Seconds from now until both readiness and a real request succeed."""
    started = time.monotonic()
    async with asyncio.timeout(RECOVERY_LIMIT_S + 5):
        while True:
            ready = await api.get("/health/ready")
            if ready.status_code == 200:
                real = await api.get(f"/tasks/{task_id}")
                if real.status_code == 200:
                    return time.monotonic() - started
                assert_unavailable(real)
            else:
                assert_unavailable(ready)
            await asyncio.sleep(0.05)


@pytest.mark.parametrize("mode", ["fast", "immediate"])
async def test_outage_answers_503_fast_and_recovers_without_restart(
    cluster: Cluster, mode: str, capsys: pytest.CaptureFixture[str]
) -> None:
    email = f"outage-{mode}@example.com"
    async with running_app(fault_settings(cluster.url)) as api:
        await api.sign_up(email)
        before = [await api.task(title=f"before {n}") for n in range(2)]
        updated = await api.patch(f"/tasks/{before[0]['id']}", json={"completed": True})
        assert updated.status_code == 200
        before[0] = updated.json()
        assert before[0]["version"] == 2

        await cluster.stop(mode)

        live = await api.get("/health/live")
        assert live.status_code == 200
        ready, ready_s = await timed(api.get("/health/ready"), HEALTH_LIMIT_S)
        assert_unavailable(ready)
        assert ready_s < HEALTH_LIMIT_S
        database, database_s = await timed(api.get("/health/database"), HEALTH_LIMIT_S)
        assert database.status_code == 503
        assert int(database.headers["Retry-After"]) > 0
        assert database.json()["healthy"] is False
        assert database_s < HEALTH_LIMIT_S
        # The token was issued before the outage and needs no database.
        latencies = await _requests_during_outage(api, before[0]["id"])

        await cluster.start()
        recovery_s = await _wait_until_recovered(api, before[0]["id"])
        assert recovery_s < RECOVERY_LIMIT_S

        listing = await api.get("/tasks", params={"sort": "created_at"})
        assert listing.status_code == 200
        assert listing.json()["items"] == before  # unchanged, versions included
        categories = await api.get("/categories")
        assert categories.json()["total"] == 0  # the inline category never landed
    async with cluster.admin() as admin:
        titles = await admin.fetch(
            "SELECT t.title FROM tasks t JOIN users u ON u.id = t.user_id WHERE u.email = $1",
            email,
        )
    assert sorted(row["title"] for row in titles) == ["before 0", "before 1"]
    with capsys.disabled():
        figures = ", ".join(f"{name} {s * 1000:.0f} ms" for name, s in latencies.items())
        print(
            f"\n[outage, stop -m {mode}] ready 503 in {ready_s * 1000:.0f} ms, database 503 in "
            f"{database_s * 1000:.0f} ms; {figures}; recovered {recovery_s * 1000:.0f} ms "
            "after the server accepted connections"
        )


async def test_a_write_in_flight_when_the_server_stops_answers_503(cluster: Cluster) -> None:
    async with running_app(fault_settings(cluster.url)) as api:
        await api.sign_up("in-flight@example.com")
        task = await api.task(title="in flight")
        async with RowLock(cluster, task["id"]) as lock:
            assert lock.admin is not None
            patch = asyncio.create_task(api.patch(f"/tasks/{task['id']}", json={"title": "lost"}))
            await wait_for_lock_waiters(lock.admin, 1)
            started = time.monotonic()
            await cluster.stop()  # ends every session, the waiting one and the lock's
            async with asyncio.timeout(REQUEST_LIMIT_S + 5):
                response = await patch
            elapsed = time.monotonic() - started
        assert_unavailable(response)
        assert elapsed < REQUEST_LIMIT_S

        await cluster.start()
        await _wait_until_recovered(api, task["id"])
        current = await api.get(f"/tasks/{task['id']}")
        assert current.json()["title"] == "in flight"
        assert current.json()["version"] == 1
        await wait_until_pool_idle(api)
