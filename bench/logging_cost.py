"""What structured logging costs a request: 2,000 GET /tasks/{id} in process, on the
memory store, with JSON logs at INFO (an access line per request) and at WARNING
(nothing logged). Run: ``.venv/bin/python -m bench.logging_cost``.

Output goes to /dev/null so that the figure is the event loop's share (the listener
thread renders and writes off the loop).
"""

import asyncio
import logging
import os
import time
from dataclasses import replace

import httpx

from infrastructure.settings import RateLimitSettings, Settings
from interfaces.app import create_app

REQUESTS = 2000
ROUNDS = 5
PASSWORD = "correct horse battery"
_SETTINGS = Settings(
    persistence="memory",
    jwt_secret="x" * 32,
    argon2_time_cost=1,
    argon2_memory_kib=8,
    metrics_enabled=False,
    rate_limits=RateLimitSettings(
        login_per_account="1000/minute",
        login_per_address="1000/minute",
        register_per_account="1000/minute",
        register_per_address="1000/minute",
    ),
)


async def _per_request_us(log_level: str) -> float:
    app = create_app(replace(_SETTINGS, log_level=log_level, log_format="json"))
    # The bench's own client logs each request at INFO; a server has no such line.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            body = {"email": "ada@example.com", "password": PASSWORD}
            await client.post("/auth/register", json=body)
            token = (await client.post("/auth/login", json=body)).json()["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            task = (await client.post("/tasks", json={"title": "t"}, headers=auth)).json()
            url = f"/tasks/{task['id']}"
            for _ in range(200):
                await client.get(url, headers=auth)
            best = float("inf")
            for _ in range(ROUNDS):
                started = time.perf_counter()
                for _ in range(REQUESTS):
                    await client.get(url, headers=auth)
                best = min(best, (time.perf_counter() - started) / REQUESTS * 1e6)
            return best


def main() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    saved = os.dup(2)
    os.dup2(devnull, 2)
    try:
        results = {level: asyncio.run(_per_request_us(level)) for level in ("WARNING", "INFO")}
        results["WARNING (again)"] = asyncio.run(_per_request_us("WARNING"))
        results["INFO (again)"] = asyncio.run(_per_request_us("INFO"))
    finally:
        os.dup2(saved, 2)
    for level, us in results.items():
        print(f"LOG_LEVEL={level:<16} {us:7.1f} us/request")


if __name__ == "__main__":
    main()
