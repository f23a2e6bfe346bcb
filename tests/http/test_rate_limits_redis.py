"""Attempt limits counted in Redis hold across apps and across server processes."""

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from infrastructure.settings import Settings
from interfaces.app import create_app
from tests.http.conftest import FAST
from tests.http.support import PASSWORD, assert_problem
from tests.support.asgi import asgi_transport, serving
from tests.support.served import free_port, wait_until_live
from tests.support.tokens import TEST_JWT_SECRET

pytestmark = pytest.mark.asyncio

ROOT = Path(__file__).resolve().parents[2]
SECRET = "rate-limit-test-secret-0123456789abcdef"


async def wrong_password(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post("/auth/login", json={"email": email, "password": "wrong password"})


def assert_locked(response: httpx.Response) -> None:
    assert_problem(response, 429)
    assert 1 <= int(response.headers["retry-after"]) <= 900


@pytest_asyncio.fixture
async def two_apps(redis_url: str, redis_prefix: str) -> AsyncIterator[list[httpx.AsyncClient]]:
    """Clients of two apps in this process, each with its own memory, counting in Redis."""
    settings = Settings(
        persistence="memory",
        jwt_secret=TEST_JWT_SECRET,
        argon2_time_cost=FAST.argon2_time_cost,
        argon2_memory_kib=FAST.argon2_memory_kib,
        log_level="WARNING",
    )
    limits = replace(settings.rate_limits, storage_url=redis_url, prefix=redis_prefix)
    async with AsyncExitStack() as stack:
        clients = []
        for _ in range(2):
            app = create_app(replace(settings, rate_limits=limits))
            await stack.enter_async_context(serving(app))
            transport = asgi_transport(app)
            client = httpx.AsyncClient(transport=transport, base_url="http://tasklane.test")
            clients.append(await stack.enter_async_context(client))
        yield clients


async def test_apps_counting_in_redis_share_the_account_limit(
    two_apps: list[httpx.AsyncClient],
) -> None:
    for attempt in range(10):
        response = await wrong_password(two_apps[attempt % 2], "ada@example.com")
        assert response.status_code == 401
    # Five failures each: counted apart, neither app would have locked the account.
    assert_locked(await wrong_password(two_apps[0], "ada@example.com"))
    assert_locked(await wrong_password(two_apps[1], "ada@example.com"))


@pytest.fixture
def two_processes(redis_url: str, redis_prefix: str) -> Iterator[list[str]]:
    """Base URLs of two uvicorn processes of the service counting in the same Redis."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "PERSISTENCE": "memory",
        "RATE_LIMIT_STORAGE_URL": redis_url,
        "RATE_LIMIT_PREFIX": redis_prefix,
        "JWT_SECRET": SECRET,
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_KIB": "8",
        "JOB_WORKERS": "0",
        "LOG_LEVEL": "WARNING",
    }
    servers: list[tuple[subprocess.Popen[bytes], str]] = []
    try:
        for _ in range(2):
            port = free_port()
            command = [sys.executable, "-m", "uvicorn", "--factory", "interfaces.app:create_app"]
            command += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            servers.append((process, f"http://127.0.0.1:{port}"))
        for process, url in servers:
            wait_until_live(process, url)
        yield [url for _, url in servers]
    finally:
        for process, _ in servers:
            process.terminate()
        for process, _ in servers:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stderr is not None:
                process.stderr.close()


async def test_two_server_processes_share_the_account_limit_through_redis(
    two_processes: list[str],
) -> None:
    async with AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(httpx.AsyncClient(base_url=url, timeout=10))
            for url in two_processes
        ]
        register = await clients[0].post(
            "/auth/register", json={"email": "ada@example.com", "password": PASSWORD}
        )
        assert register.status_code == 201
        for attempt in range(10):
            response = await wrong_password(clients[attempt % 2], "ada@example.com")
            assert response.status_code == 401
        # Five failures in each process: only a shared count reaches ten.
        assert_locked(await wrong_password(clients[1], "ada@example.com"))
        locked = await clients[0].post(
            "/auth/login", json={"email": "ada@example.com", "password": PASSWORD}
        )
        assert_locked(locked)
