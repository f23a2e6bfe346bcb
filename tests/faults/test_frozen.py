"""The server stops answering without closing anything (a hung host, a partition)."""

import asyncio
import contextlib
import os
import signal
import subprocess
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from tests.faults.conftest import (
    FAULT_DATABASE,
    Cluster,
    Request,
    RowLock,
    app_backends,
    assert_unavailable,
    fault_settings,
    running_app,
    timed,
    wait_for_lock_waiters,
    wait_until_pool_idle,
)

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio]

DATABASE_TIMEOUT = FAULT_DATABASE["timeout"]
REQUEST_LIMIT_S = DATABASE_TIMEOUT + 2
HEALTH_LIMIT_S = 3.0


def _server_pids(cluster: Cluster) -> list[int]:
    postmaster = int((cluster.server.data_dir / "postmaster.pid").read_text().split()[0])
    children = subprocess.run(
        ["pgrep", "-P", str(postmaster)], capture_output=True, text=True, check=False
    ).stdout.split()
    return [postmaster, *map(int, children)]


@asynccontextmanager
async def frozen(cluster: Cluster) -> AsyncIterator[None]:
    """Every server process stopped (SIGSTOP): sockets stay open, nothing answers."""
    pids = _server_pids(cluster)
    for pid in pids:
        _signal(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            _signal(pid, signal.SIGCONT)


def _signal(pid: int, signum: signal.Signals) -> None:
    # A backend may exit between listing it and signalling it: gone is as good as frozen.
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


async def test_a_hung_server_costs_no_request_more_than_the_timeout(
    cluster: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    if not hasattr(signal, "SIGSTOP"):
        pytest.skip("needs POSIX signals")
    async with running_app(fault_settings(cluster.url)) as api:
        await api.sign_up("frozen@example.com")
        task = await api.task(title="before the freeze")
        # Fill the pool: two requests wait on a row lock at once, then both finish.
        async with RowLock(cluster, task["id"]) as lock:
            assert lock.admin is not None
            waiting = [
                asyncio.create_task(api.patch(f"/tasks/{task['id']}", json={"completed": True}))
                for _ in range(2)
            ]
            await wait_for_lock_waiters(lock.admin, 2)
            await lock.release()
            assert [(await w).status_code for w in waiting] == [200, 200]
            assert len(await app_backends(lock.admin)) == 2

        latencies: dict[str, float] = {}
        async with frozen(cluster):
            # The first checkouts meet the idle pooled connections the server holds.
            ready, latencies["ready"] = await timed(api.get("/health/ready"), HEALTH_LIMIT_S)
            assert_unavailable(ready)
            calls: dict[str, Request] = {
                "get": lambda: api.get(f"/tasks/{task['id']}"),
                "patch": lambda: api.patch(f"/tasks/{task['id']}", json={"title": "frozen"}),
                "list": lambda: api.get("/tasks"),
            }
            for name, call in calls.items():
                response, latencies[name] = await timed(call(), REQUEST_LIMIT_S)
                assert_unavailable(response)
            database, latencies["database"] = await timed(
                api.get("/health/database"), HEALTH_LIMIT_S
            )
            assert database.status_code == 503
            assert database.json()["healthy"] is False
        thawed = time.monotonic()

        assert latencies["ready"] < HEALTH_LIMIT_S, latencies
        assert latencies["database"] < HEALTH_LIMIT_S, latencies
        assert max(latencies[n] for n in ("get", "patch", "list")) < REQUEST_LIMIT_S, latencies
        async with asyncio.timeout(10):
            while True:
                if (await api.get(f"/tasks/{task['id']}")).status_code == 200:
                    break
                await asyncio.sleep(0.05)
        recovered = time.monotonic() - thawed
        final = await api.get(f"/tasks/{task['id']}")
        assert final.json()["version"] == 3
        assert final.json()["title"] == "before the freeze"
        await wait_until_pool_idle(api)
    with capsys.disabled():
        figures = ", ".join(f"{name} {s * 1000:.0f} ms" for name, s in latencies.items())
        print(f"\n[frozen] 503 latencies: {figures}; recovered {recovered * 1000:.0f} ms")
