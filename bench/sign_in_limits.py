"""What the sign-in limits do to one client, over real HTTP.

Starts the service (uvicorn, one process, in-memory persistence, production Argon2
cost) from ``BENCH_SRC`` (default ``src``, so an older checkout's ``src`` measures the
"before") and prints:

- how many wrong passwords in a row one account takes, and how long, before a 429;
- what one client address gets when it floods ``/auth/login`` with ``BENCH_CONCURRENCY``
  connections for ``BENCH_SECONDS``: statuses, and the Argon2 hashes it made the
  server spend per second (every 200 or 401 is one hash; a 429 or 503 is none).

    .venv/bin/python -m bench.sign_in_limits
"""

import asyncio
import os
import secrets
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path(os.environ.get("BENCH_SRC", ROOT / "src")).resolve()
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _serve(port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(SOURCE),
        "PERSISTENCE": "memory",
        "JWT_SECRET": secrets.token_hex(32),
        "JOB_WORKERS": "0",
        "LOG_LEVEL": "ERROR",
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "interfaces.app:create_app"]
    command += ["--port", str(port), "--no-access-log", "--log-level", "warning"]
    return subprocess.Popen(command, env=env, cwd=ROOT)


async def _wait_up(client: httpx.AsyncClient) -> None:
    for _ in range(300):
        try:
            if (await client.get("/health/live")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("the service did not come up")


async def _first_429(client: httpx.AsyncClient) -> None:
    email = f"{secrets.token_hex(4)}@bench.test"
    await client.post("/auth/register", json={"email": email, "password": "benchmark-pw"})
    started = time.perf_counter()
    for attempt in range(1, 101):
        response = await client.post("/auth/login", json={"email": email, "password": "nope-nope"})
        if response.status_code == 429:
            took = time.perf_counter() - started
            retry = response.headers.get("retry-after")
            print(f"one account: 429 at wrong password #{attempt} after {took:.2f} s, "
                  f"Retry-After {retry} s")  # fmt: skip
            return
    print("one account: no 429 in 100 wrong passwords in a row")


async def _flood(client: httpx.AsyncClient) -> None:
    statuses: Counter[int] = Counter()
    deadline = time.perf_counter() + SECONDS

    async def one_connection() -> None:
        while time.perf_counter() < deadline:
            body = {"email": f"{secrets.token_hex(6)}@bench.test", "password": "nope-nope"}
            statuses[(await client.post("/auth/login", json=body)).status_code] += 1

    await asyncio.gather(*(one_connection() for _ in range(CONCURRENCY)))
    total = sum(statuses.values())
    hashes = statuses[200] + statuses[401]
    rates = f"{total / SECONDS:.1f} req/s, {hashes / SECONDS:.1f} hashes/s"
    print(f"one address, {CONCURRENCY} connections, {SECONDS:.0f} s: {rates}, "
          f"statuses {dict(sorted(statuses.items()))}")  # fmt: skip


async def _measure(port: int) -> None:
    limits = httpx.Limits(max_connections=CONCURRENCY)
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        await _wait_up(client)
        await _first_429(client)
        await _flood(client)


def main() -> None:
    port = _free_port()
    server = _serve(port)
    try:
        print(f"source {SOURCE}, {os.cpu_count()} CPUs")
        asyncio.run(_measure(port))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
