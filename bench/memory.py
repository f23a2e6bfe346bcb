"""Where the serving process's memory goes, over real HTTP: its RSS after start, after one
sign-in (register + login: two Argon2 hashes), after a mix of requests, and its peak.

Runs the service the way the shared harness does (``make -s run``: production profile,
PostgreSQL, on a throwaway database of its own; ``BENCH_MEMORY_SERVE`` replaces the
command), and the FastAPI + SQLModel peer the same way when its venv exists
(``BENCH_PEER_RUN``, default ``../shared/bench/peer_fastapi/run.sh``; ``BENCH_PEER=0``
skips it). Like the harness, it reads ``/proc/<pid>/status`` of the biggest process of the
server's session: RSS (anonymous and file-backed) and its peak (VmHWM, which the Argon2
hashes set: 64 MiB each, returned to the system once done).

The mix: ``BENCH_MEMORY_ROUNDS`` rounds of ``BENCH_MEMORY_REQUESTS`` requests on
``BENCH_MEMORY_CONNECTIONS`` keep-alive connections, in turn ``GET /tasks/{id}``,
``GET /tasks?limit=20``, ``POST /tasks`` and ``PATCH /tasks/{id}``, each round followed by
a reading and the server's CPU per request in it; then ``BENCH_MEMORY_LOGINS`` more
logins (the harness logs in once per scenario and round). Not a throughput benchmark: the
client is light so that it stays out of the server's way. ``BENCH_MEMORY_DATABASE`` names
the PostgreSQL server (admin URL).

    python -m bench.memory
"""

import asyncio
import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.databases import production_environment, throwaway_database

ROOT = Path(__file__).resolve().parents[1]
SERVER = os.environ.get("BENCH_MEMORY_DATABASE", "postgresql://postgres@127.0.0.1:5432/postgres")
REQUESTS = int(os.environ.get("BENCH_MEMORY_REQUESTS", "4000"))
ROUNDS = int(os.environ.get("BENCH_MEMORY_ROUNDS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_MEMORY_CONNECTIONS", "32"))
LOGINS = int(os.environ.get("BENCH_MEMORY_LOGINS", "4"))
SEED = int(os.environ.get("BENCH_MEMORY_SEED_TASKS", "200"))
PORT = int(os.environ.get("BENCH_MEMORY_PORT", "18195"))
SERVE = os.environ.get("BENCH_MEMORY_SERVE", "make -s run")
PEER_RUN = Path(
    os.environ.get("BENCH_PEER_RUN", ROOT.parent / "shared" / "bench" / "peer_fastapi" / "run.sh")
)
PEER_PYTHON = Path(
    os.environ.get("BENCH_VENV", Path.home() / ".cache" / "tasklane-bench" / "venv"),
    "bin",
    "python",
)
MIB = 1024
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Reading:
    """One look at the serving process: kB from /proc/<pid>/status, CPU ticks from stat."""

    rss: int
    anonymous: int
    file_backed: int
    peak: int
    cpu_ticks: int


@dataclass
class Run:
    """What one target's run read, in order, and the statuses of its mixed requests."""

    name: str
    readings: list[tuple[str, Reading]] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)

    def table(self) -> list[str]:
        lines = [
            "| moment | RSS | anonymous | file-backed | peak (VmHWM) |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for moment, reading in self.readings:
            lines.append(
                f"| {moment} | {reading.rss / MIB:.1f} | {reading.anonymous / MIB:.1f} "
                f"| {reading.file_backed / MIB:.1f} | {reading.peak / MIB:.1f} |"
            )
        return lines


def _status(pid: int) -> dict[str, int]:
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if value.strip().endswith("kB"):
            fields[key] = int(value.split()[0])
    # utime and stime: the 12th and 13th fields after the command, which is in parentheses.
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    fields["cpu_ticks"] = int(stat[11]) + int(stat[12])
    return fields


def _session_pids(sid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The session id: the 4th field after the command, which is in parentheses.
        if int(stat.rsplit(")", 1)[1].split()[3]) == sid:
            pids.append(int(entry.name))
    return pids


def _read(sid: int) -> Reading:
    """The biggest process of the session (the server, not make or uv), as the harness."""
    statuses = []
    for pid in _session_pids(sid):
        with contextlib.suppress(OSError):
            statuses.append(_status(pid))
    biggest = max(statuses, key=lambda fields: fields.get("VmHWM", 0))
    return Reading(
        biggest["VmRSS"],
        biggest["RssAnon"],
        biggest["RssFile"],
        biggest["VmHWM"],
        biggest["cpu_ticks"],
    )


class _Connection:
    """One keep-alive HTTP/1.1 connection: a few microseconds of client per request (an
    httpx client spends more CPU per request than the server does, on a 2-core machine).
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    @classmethod
    async def open(cls) -> "_Connection":
        return cls(*await asyncio.open_connection("127.0.0.1", PORT))

    async def request(
        self, method: str, path: str, body: object = None, token: str = ""
    ) -> tuple[int, bytes]:
        payload = b"" if body is None else json.dumps(body).encode()
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(payload)}\r\n"
        if payload:
            head += "Content-Type: application/json\r\n"
        if token:
            head += f"Authorization: Bearer {token}\r\n"
        self._writer.write(head.encode() + b"\r\n" + payload)
        lines = (await self._reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = dict(line.lower().split(": ", 1) for line in lines[1:] if line)
        if headers.get("transfer-encoding") == "chunked":
            content = b""
            while size := int((await self._reader.readline()).strip(), 16):
                content += (await self._reader.readexactly(size + 2))[:-2]
            await self._reader.readline()
        else:
            content = await self._reader.readexactly(int(headers.get("content-length", "0")))
        return int(lines[0].split()[1]), content

    async def close(self) -> None:
        self._writer.close()
        with contextlib.suppress(OSError):
            await self._writer.wait_closed()


async def _call(method: str, path: str, body: object = None, token: str = "") -> Any:
    """A request that must succeed, on a connection of its own (the server closes one that
    sits idle between phases): its JSON answer."""
    connection = await _Connection.open()
    try:
        status, content = await connection.request(method, path, body, token)
    finally:
        await connection.close()
    if status >= 300:
        raise SystemExit(f"{method} {path} answered {status}: {content[:300]!r}")
    return json.loads(content)


async def _up(server: "subprocess.Popen[bytes]") -> None:
    for _ in range(1200):
        if server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode}")
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            connection = await _Connection.open()
            try:
                if (await connection.request("GET", "/health/live"))[0] == 200:
                    return
            finally:
                await connection.close()
        await asyncio.sleep(0.25)
    raise SystemExit("the server did not come up")


def _task(i: int) -> dict[str, str]:
    return {
        "title": f"memory task {i}",
        "description": f"Description number {i}. " * 3,
        "priority": ("low", "medium", "high")[i % 3],
    }


async def _mix(token: str, ids: list[str], statuses: Counter[int]) -> None:
    """``REQUESTS`` requests on ``CONNECTIONS`` connections: read, list, create, update."""
    turns = iter(range(REQUESTS))

    async def one_client(seed: int) -> None:
        connection = await _Connection.open()
        draw = seed
        try:
            for turn in turns:
                draw = (draw * 1103515245 + 12345) % 2**31
                task_id = ids[draw % len(ids)]
                kind = turn % 4
                if kind == 0:
                    status, _ = await connection.request("GET", f"/tasks/{task_id}", None, token)
                elif kind == 1:
                    status, _ = await connection.request("GET", "/tasks?limit=20", None, token)
                elif kind == 2:
                    status, content = await connection.request("POST", "/tasks", _task(turn), token)
                    if status == 201:
                        ids.append(json.loads(content)["id"])
                else:
                    body = {"completed": bool(draw & 1), "priority": ("low", "high")[draw & 1]}
                    status, _ = await connection.request("PATCH", f"/tasks/{task_id}", body, token)
                statuses[status] += 1
        finally:
            await connection.close()

    await asyncio.gather(*(one_client(seed) for seed in range(CONNECTIONS)))


async def _drive(server: "subprocess.Popen[bytes]", run: Run) -> None:
    await _up(server)
    await asyncio.sleep(1)
    run.readings.append(("started", _read(server.pid)))
    user = {"email": f"memory-{secrets.token_hex(4)}@example.com", "password": "memory-password"}
    await _call("POST", "/auth/register", {**user, "display_name": "memory"})
    token = (await _call("POST", "/auth/login", user))["access_token"]
    await asyncio.sleep(0.5)
    run.readings.append(("after register + login", _read(server.pid)))
    ids = [(await _call("POST", "/tasks", _task(i), token))["id"] for i in range(SEED)]
    for round_ in range(1, ROUNDS + 1):
        before = _read(server.pid)
        started = time.monotonic()
        await _mix(token, ids, run.statuses)
        elapsed = time.monotonic() - started
        await asyncio.sleep(0.5)
        after = _read(server.pid)
        cpu_ms = (after.cpu_ticks - before.cpu_ticks) / CLOCK_TICKS * 1000 / REQUESTS
        moment = (
            f"after {round_ * REQUESTS} mixed requests "
            f"({elapsed:.1f} s, server CPU {cpu_ms:.2f} ms/request)"
        )
        run.readings.append((moment, after))
    for _ in range(LOGINS):
        await _call("POST", "/auth/login", user)
    await asyncio.sleep(0.5)
    run.readings.append((f"after {LOGINS} more logins", _read(server.pid)))


def _measure(name: str, command: list[str], url: str) -> Run:
    env = production_environment(url, PORT)
    run = Run(name)
    log = Path(tempfile.mkdtemp(prefix="bench-memory-")) / f"{name}.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            command, env=env, cwd=ROOT, start_new_session=True, stdout=output, stderr=output
        )
    try:
        asyncio.run(_drive(server, run))
    except BaseException:
        print(f"{name}: failed; its output is in {log}", file=sys.stderr)
        raise
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    return run


def main() -> int:
    targets = [("tasklane", ["bash", "-c", SERVE])]
    if os.environ.get("BENCH_PEER", "1") != "0" and PEER_RUN.exists() and PEER_PYTHON.exists():
        targets.append(("peer", ["bash", str(PEER_RUN)]))
    runs = []
    for name, command in targets:
        with throwaway_database(SERVER, f"bench_memory_{name}_{secrets.token_hex(4)}") as url:
            runs.append(_measure(name, command, url))
    for run in runs:
        print(f"\n{run.name}: MiB of the serving process (mixed statuses: {dict(run.statuses)})")
        print("\n".join(run.table()))
    print("\n| target | after the run (steady state) | peak |")
    print("| --- | ---: | ---: |")
    for run in runs:
        last = run.readings[-1][1]
        print(f"| {run.name} | {last.rss / MIB:.1f} | {last.peak / MIB:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
