"""What the access line and the request metrics cost a request: GET /tasks/{id} on the
memory store, driven in process by a direct ASGI call loop (no HTTP, no client), with
JSON logs at INFO (an access line per request) or WARNING (nothing logged) and
``METRICS_ENABLED`` on or off. Run: ``.venv/bin/python -m bench.request_overhead``.

Prints, per combination, over two interleaved passes of a few rounds: the best wall
time per request (the event loop's share plus any wait for the interpreter), and the
best and median CPU time per request of the whole process (every thread). Each round
ends once its lines are written, so the figures include them. Log output goes to
/dev/null.
"""

import asyncio
import itertools
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import httpx

from infrastructure.settings import RateLimitSettings, Settings
from interfaces.app import create_app
from interfaces.logs import drain_logs

REQUESTS = 2000
ROUNDS = 5
WARM_UP = 300
PASSWORD = "correct horse battery"
_SETTINGS = Settings(
    persistence="memory",
    jwt_secret="x" * 32,
    argon2_time_cost=1,
    argon2_memory_kib=8,
    log_format="json",
    rate_limits=RateLimitSettings(
        login_per_account="1000/minute",
        login_per_address="1000/minute",
        register_per_account="1000/minute",
        register_per_address="1000/minute",
    ),
)


@dataclass(frozen=True, slots=True)
class Round:
    """One round's figures, in microseconds per request."""

    wall_us: float
    cpu_us: float


async def _signed_in_task(app: Any) -> tuple[str, str]:
    """A user's token and the path of one of their tasks."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        body = {"email": "ada@example.com", "password": PASSWORD}
        await client.post("/auth/register", json=body)
        token = (await client.post("/auth/login", json=body)).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        task = (await client.post("/tasks", json={"title": "t"}, headers=auth)).json()
        return token, f"/tasks/{task['id']}"


def _caller(app: Any, token: str, path: str) -> Callable[[], Any]:
    """One GET as a server would make it: a fresh scope, an empty body, the answer
    dropped (its status checked)."""
    headers = [
        (b"host", b"t"),
        (b"accept", b"*/*"),
        (b"authorization", f"Bearer {token}".encode()),
    ]
    request = {"type": "http.request", "body": b"", "more_body": False}

    async def receive() -> dict[str, Any]:
        return request

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start" and message["status"] != 200:
            raise AssertionError(message["status"])

    async def call() -> None:
        # Back to the event loop, which polls for I/O as a server's does between
        # requests, letting other threads (the log listener) take the interpreter: a loop
        # that never polls would let them in only every switch interval (5 ms), hiding
        # what their wake-ups cost.
        await asyncio.sleep(0)
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "server": ("127.0.0.1", 8000),
            "client": ("127.0.0.1", 50000),
            "scheme": "http",
            "method": "GET",
            "root_path": "",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "headers": headers,
            "state": {},
        }
        await app(scope, receive, send)

    return call


async def _rounds(log_level: str, metrics: bool) -> list[Round]:
    app = create_app(replace(_SETTINGS, log_level=log_level, metrics_enabled=metrics))
    # httpx logs each request at INFO; a server has no such line.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    async with app.lifespan():
        call = _caller(app, *await _signed_in_task(app))
        for _ in range(WARM_UP):
            await call()
        drain_logs()
        rounds = []
        for _ in range(ROUNDS):
            started, started_cpu = time.perf_counter(), time.process_time()
            for _ in range(REQUESTS):
                await call()
            drain_logs()
            wall = (time.perf_counter() - started) / REQUESTS * 1e6
            cpu = (time.process_time() - started_cpu) / REQUESTS * 1e6
            rounds.append(Round(wall, cpu))
        return rounds


def main() -> None:
    combinations = list(itertools.product(("WARNING", "INFO"), (False, True)))
    results: dict[tuple[str, bool], list[Round]] = {c: [] for c in combinations}
    devnull = os.open(os.devnull, os.O_WRONLY)
    saved = os.dup(2)
    os.dup2(devnull, 2)
    try:
        # Twice, interleaved, so that a slow spell of the machine hits every combination.
        for _ in range(2):
            for level, metrics in combinations:
                results[level, metrics].extend(asyncio.run(_rounds(level, metrics)))
    finally:
        os.dup2(saved, 2)

    def figures(rounds: list[Round]) -> tuple[float, float, float]:
        cpus = [r.cpu_us for r in rounds]
        return min(r.wall_us for r in rounds), min(cpus), statistics.median(cpus)

    base = figures(results["WARNING", False])
    print(f"GET /tasks/{{id}}, memory store, {2 * ROUNDS} rounds of {REQUESTS} requests")
    print("us per request: best wall, best CPU, median CPU (all threads); +: against neither")
    print(f"{'access line':<12} {'metrics':<8} {'wall':>15} {'CPU':>15} {'median CPU':>15}")
    for (level, metrics), rounds in results.items():
        cells = " ".join(
            f"{value:7.1f} {value - against:+7.1f}"
            for value, against in zip(figures(rounds), base, strict=True)
        )
        line, measured = ("on" if level == "INFO" else "off"), ("on" if metrics else "off")
        print(f"{line:<12} {measured:<8} {cells}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
