"""Benchmark of the hot paths (get, list, create, update a task) over real HTTP.

Starts the service (uvicorn, production profile, one process) on a database of its
own (``BENCH_DATABASE_URL``, PostgreSQL by default), seeds one user with 200 tasks,
drives each scenario with wrk (``BENCH_CONCURRENCY`` connections for ``BENCH_SECONDS``)
and prints throughput and latency percentiles. wrk shares the machine with the server,
so compare runs on one machine rather than reading the figures as capacity.
"""

import asyncio
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "32"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
SERVER = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
BASE = f"http://127.0.0.1:{PORT}"


async def _admin(sql: str) -> None:
    connection = await asyncpg.connect(SERVER)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def _serve(database_url: str, secret: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ENVIRONMENT": "production",
        "JWT_SECRET": secret,
        "LOG_LEVEL": "WARNING",
        "JOB_WORKERS": "0",
    }
    app = ["litestar", "--app", "interfaces.app:create_app"]
    subprocess.run([*app, "database", "upgrade", "--no-prompt"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    serve = [*app, "run", "--port", str(PORT)]
    return subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _serve_baseline(database_url: str, secret: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "BASELINE_DSN": database_url, "JWT_SECRET": secret}
    command = ["uvicorn", "bench.baseline:app", "--port", str(PORT + 1), "--no-access-log"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def _wait_up(url: str = f"{BASE}/health/ready", ready: int = 200) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            try:
                if (await client.get(url)).status_code == ready:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the service did not come up")


# wrk runs the load: a C client leaves the cores to the server under test.
_LUA = {
    "get task": "n = 0\nrequest = function() n = n + 1\n"
    '  return wrk.format("GET", "/tasks/" .. ids[n % #ids + 1]) end',
    "list tasks": 'request = function() return wrk.format("GET", "/tasks?limit=20") end',
    "create task": "n = 0\nrequest = function() n = n + 1\n"
    '  return wrk.format("POST", "/tasks", nil, \'{"title": "bench \' .. n .. \'"}\') end',
    "update task": 'n = 0\nrequest = function() n = n + 1\n  return wrk.format("PATCH", '
    '"/tasks/" .. ids[n % #ids + 1], nil, \'{"completed": \' .. tostring(n % 2 == 0) .. "}") end',
}
_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.timeout
  io.write(string.format("%.0f %.2f %.2f %.2f %d\\n", summary.requests / summary.duration * 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, errors))
end
"""


def _measure(
    name: str, token: str, ids: list[int], directory: Path, base: str = BASE, label: str = ""
) -> None:
    script = directory / f"{name.replace(' ', '_')}.lua"
    header = f'wrk.headers["Authorization"] = "Bearer {token}"\n'
    header += 'wrk.headers["Content-Type"] = "application/json"\n'
    header += "ids = {" + ",".join(map(str, ids)) + "}\n"
    script.write_text(header + _LUA[name] + _REPORT)
    command = ["wrk", "-t2", f"-c{CONCURRENCY}", f"-d{SECONDS:.0f}s", "-s", str(script), base]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate, p50, p99, worst, errors = output.strip().splitlines()[-1].split()
    print(
        f"{label or name:<22} {float(rate):>7.0f} req/s   p50 {float(p50):6.2f} ms   "
        f"p99 {float(p99):6.2f} ms   max {float(worst):7.2f} ms   errors {errors}"
    )


async def _seed() -> tuple[str, list[int]]:
    await _wait_up()
    async with httpx.AsyncClient(base_url=BASE) as client:
        user = {"email": f"{secrets.token_hex(4)}@bench.test", "password": "benchmark-pw"}
        await client.post("/auth/register", json=user)
        token = (await client.post("/auth/login", json=user)).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        ids = [
            (await client.post("/tasks", json={"title": f"seed {n}"}, headers=headers)).json()["id"]
            for n in range(200)
        ]
    return token, ids


def main() -> None:
    name = f"tasklane_bench_{secrets.token_hex(4)}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    database_url = urlunsplit(urlsplit(SERVER)._replace(path=f"/{name}"))
    secret = secrets.token_hex(32)
    server = _serve(database_url, secret)
    baseline = None
    try:
        token, ids = asyncio.run(_seed())
        print(f"wrk, {CONCURRENCY} connections, {SECONDS:.0f} s per scenario, PostgreSQL")
        with tempfile.TemporaryDirectory() as directory:
            for scenario in _LUA:
                _measure(scenario, token, ids, Path(directory))
            # The yardstick runs alone: the service stops first, so they never share cores.
            server.terminate()
            server.wait(timeout=30)
            baseline = _serve_baseline(database_url, secret)
            base = f"http://127.0.0.1:{PORT + 1}"
            asyncio.run(_wait_up(f"{base}/tasks/0", ready=500))  # up, but no token
            label = "get task, raw asyncpg"
            _measure("get task", token, ids, Path(directory), base=base, label=label)
    finally:
        for process in (server, baseline):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    sys.exit(main())
