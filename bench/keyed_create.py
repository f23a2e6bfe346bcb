"""What an ``Idempotency-Key`` costs ``POST /tasks``: keyed against unkeyed, one server.

The shared harness (``make bench``) has no keyed scenario, so this runs the service the
way the harness does (``make -s run``, production profile, on a PostgreSQL database of
its own), then drives ``POST /tasks`` with wrk, alternating rounds without and with a
fresh key per request (the same body shape as the harness's ``create``), and prints the
medians. ``BENCH_KEYS_DATABASE`` names the PostgreSQL server (admin URL).

    python -m bench.keyed_create
"""

import asyncio
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from bench.databases import production_environment, throwaway_database

SERVER = os.environ.get("BENCH_KEYS_DATABASE", "postgresql://postgres@127.0.0.1:5432/postgres")
SECONDS = int(os.environ.get("BENCH_DURATION", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
WRK_CPU = os.environ.get("BENCH_WRK_CPU", str((os.cpu_count() or 1) - 1))
PORT = int(os.environ.get("BENCH_KEYS_PORT", "18190"))
BASE = f"http://127.0.0.1:{PORT}"

# wrk counts every status >= 400 in errors.status. Each wrk thread numbers its keys
# from a random prefix, so no key is ever reused.
_LUA = """
local prios = { "low", "medium", "high" }
local counter = 0
local prefix = nil
function init(args)
  wrk.headers["Authorization"] = "Bearer " .. args[1]
  wrk.headers["Content-Type"] = "application/json"
  keyed = args[2] == "keyed"
  prefix = args[3] .. "-" .. args[4]
end
function request()
  counter = counter + 1
  local body = '{"title":"wrk task ' .. counter .. '","description":"created by the benchmark",'
    .. '"priority":"' .. prios[counter % 3 + 1] .. '"}'
  -- A headers table given to wrk.format replaces wrk.headers: the key goes into them.
  if keyed then wrk.headers["Idempotency-Key"] = prefix .. "-" .. counter end
  return wrk.format("POST", "/tasks", nil, body)
end
function done(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.2f %.2f %d\\n", summary.requests / summary.duration * 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
"""


async def _token() -> str:
    async with httpx.AsyncClient(base_url=BASE, timeout=30) as client:
        for _ in range(600):
            try:
                if (await client.get("/health/live")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.5)
        else:
            raise SystemExit("the service did not come up")
        user = {"email": f"{secrets.token_hex(4)}@bench.test", "password": "benchmark-password"}
        (await client.post("/auth/register", json=user)).raise_for_status()
        answer = await client.post("/auth/login", json=user)
        answer.raise_for_status()
        return str(answer.json()["access_token"])


def _wrk(script: Path, token: str, mode: str, label: str) -> tuple[float, float, float, int]:
    pin = ["taskset", "-c", WRK_CPU] if WRK_CPU else []
    command = [*pin, "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "-s", str(script)]
    output = subprocess.run(
        [*command, BASE, "--", token, mode, label, secrets.token_hex(8)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    rate, p50, p99, errors = line.split()[1:]
    return float(rate), float(p50), float(p99), int(errors)


def _measure(url: str) -> dict[str, list[tuple[float, float, float, int]]]:
    """The wrk rounds, unkeyed and keyed in turn, against ``make -s run`` on ``url``."""
    env = production_environment(url, PORT)
    server = subprocess.Popen(["make", "-s", "run"], env=env, start_new_session=True)
    results: dict[str, list[tuple[float, float, float, int]]] = {"unkeyed": [], "keyed": []}
    try:
        token = asyncio.run(_token())
        with tempfile.TemporaryDirectory() as directory:
            script = Path(directory) / "keyed_create.lua"
            script.write_text(_LUA)
            for round_ in range(ROUNDS):
                for mode in results:
                    results[mode].append(_wrk(script, token, mode, f"r{round_}"))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return results


def main() -> int:
    with throwaway_database(SERVER, f"bench_keys_{secrets.token_hex(4)}") as url:
        results = _measure(url)
    print(f"\nPOST /tasks, {CONNECTIONS} connections, medians of {ROUNDS} rounds of {SECONDS} s")
    print("| request | req/s | p50 ms | p99 ms | errors (4xx/5xx + socket) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for mode, runs in results.items():
        rate, p50, p99 = (statistics.median(run[i] for run in runs) for i in range(3))
        print(f"| {mode} | {rate:.0f} | {p50:.1f} | {p99:.1f} | {sum(r[3] for r in runs)} |")
    keyed = statistics.median(r[0] for r in results["keyed"])
    unkeyed = statistics.median(r[0] for r in results["unkeyed"])
    print(f"keyed / unkeyed: {keyed / unkeyed:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
