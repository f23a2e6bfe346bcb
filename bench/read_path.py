"""Where the database part of a cached read goes: the same one-row read by id, by 32
concurrent readers on one event loop, through each layer the service adds on top of
asyncpg. Run: ``make bench-read-path`` (``BENCH_READ_PATH_DATABASE`` names the
PostgreSQL server, an admin URL; a throwaway database is made there and dropped).

The layers, each including the one before it:

- ``driver``: ``fetchrow`` on a connection of the reader's own (asyncpg alone);
- ``sqlalchemy pool``: checked out of the service's engine pool and returned per read,
  from async code as the unit of work does it (reused greenlets);
- ``sqlalchemy connection``: a ``Connection`` around the pooled one, as
  ``engine.connect`` gives it;
- ``unit of work``: the service's reading unit of work, the read still the driver's
  ``fetchrow`` on its connection;
- ``repository``: ``uow.tasks.get``, the service's own read (the compiled statement,
  its parameters and result types, the row mapped to a ``Task``).

Beside them, ``asyncpg pool`` is the harness ceiling's way: ``pool.acquire()`` and
release around the ``fetchrow`` (the release sends a reset query).

Prints the median and best CPU time per read of each over the rounds (the layers
interleaved, so the machine's drift spreads over all of them), and what each layer adds
to the one before. The process's CPU time includes the event loop's share of each read,
and a read's layers cost more together under concurrency than one after another.
"""

import asyncio
import os
import secrets
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import uvloop

from bench.databases import throwaway_database
from domain.ids import TaskId, UserId
from domain.task import NewTask
from domain.user import NewUser
from infrastructure.persistence.sqlalchemy import (
    SqlAlchemyUnitOfWork,
    build_engine,
    build_read_engine,
)
from infrastructure.persistence.sqlalchemy.greenlets import run_sync
from infrastructure.persistence.sqlalchemy.schema_upgrade import upgrade_schema
from infrastructure.settings import DatabaseSettings
from interfaces.gc_tuning import tune_garbage_collector

SERVER = os.environ.get("BENCH_READ_PATH_DATABASE", "postgresql://postgres@127.0.0.1:5432/postgres")
READERS = 32
TASKS = 2000
READS = int(os.environ.get("BENCH_READ_PATH_READS", "20000"))
ROUNDS = int(os.environ.get("BENCH_READ_PATH_ROUNDS", "5"))
# What the repository's statement reads, by the driver alone.
SQL = (
    "SELECT id, user_id, title, description, completed, priority, due_at, category_id,"
    " processed, processed_at, version, created_at, updated_at"
    " FROM tasks WHERE id = $1 AND user_id = $2"
)

# The harness ceiling's way, measured beside the layers rather than on top of them.
CEILING = "asyncpg pool (the ceiling's)"

Read = Callable[[int], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class Seeded:
    """The database the layers read (a plain ``postgresql://`` URL): one owner's tasks."""

    url: str
    owner_id: UserId
    task_ids: tuple[TaskId, ...]


async def seed(url: str, tasks: int = TASKS, email: str = "reader@example.com") -> Seeded:
    """A user with ``tasks`` tasks in the migrated database at ``url`` (``postgresql://``)."""
    engine = build_engine(DatabaseSettings(url=url), production=True)
    try:
        uow = SqlAlchemyUnitOfWork(engine)
        async with uow:
            owner = await uow.users.add(NewUser(email, "not-a-real-hash"))
            ids = [
                (await uow.tasks.add(NewTask(owner.id, f"task {n}", "read by id"))).id
                for n in range(tasks)
            ]
            await uow.commit()
        return Seeded(url, owner.id, tuple(ids))
    finally:
        await engine.dispose()


class Layers:
    """Each layer's read of task ``n`` (modulo the seeded ones), and what it holds open."""

    def __init__(self, seeded: Seeded, readers: int = READERS) -> None:
        self._seeded = seeded
        self.readers = readers
        self._engine = build_engine(DatabaseSettings(url=seeded.url), production=True)
        self._read_engine = build_read_engine(self._engine)
        self._connections: list[asyncpg.Connection] = []
        self._pool: asyncpg.Pool | None = None

    async def open(self) -> None:
        # The plain URL: asyncpg takes it as it is, and so do the engine's settings.
        dsn = self._seeded.url
        self._connections = [await asyncpg.connect(dsn) for _ in range(self.readers)]
        self._pool = await asyncpg.create_pool(dsn, min_size=self.readers, max_size=self.readers)

    async def close(self) -> None:
        for connection in self._connections:
            await connection.close()
        if self._pool is not None:
            await self._pool.close()
        await self._engine.dispose()

    def _target(self, n: int) -> tuple[TaskId, UserId]:
        ids = self._seeded.task_ids
        return ids[n % len(ids)], self._seeded.owner_id

    def reads(self) -> dict[str, Read]:
        """The layers, in the order each adds to the one before; the ceiling's last."""
        sync_engine = self._read_engine.sync_engine
        connections, pool = self._connections, self._pool
        assert pool is not None, "open() first"

        async def driver(n: int) -> Any:
            return await connections[n % len(connections)].fetchrow(SQL, *self._target(n))

        async def sqlalchemy_pool(n: int) -> Any:
            pooled = await run_sync(sync_engine.raw_connection)
            try:
                connection = pooled.driver_connection
                assert connection is not None
                return await connection.fetchrow(SQL, *self._target(n))
            finally:
                await run_sync(pooled.close)

        async def sqlalchemy_connection(n: int) -> Any:
            connection = await run_sync(sync_engine.connect)
            try:
                pooled = connection.connection.dbapi_connection
                assert pooled is not None
                return await pooled.driver_connection.fetchrow(SQL, *self._target(n))
            finally:
                await run_sync(connection.close)

        async def unit_of_work(n: int) -> Any:
            uow = SqlAlchemyUnitOfWork(self._engine, self._read_engine)
            async with uow.reading():
                # As the repositories reach the driver: no I/O, no greenlet.
                sync = uow._current().sync_connection
                assert sync is not None
                pooled = sync.connection.dbapi_connection
                assert pooled is not None
                return await pooled.driver_connection.fetchrow(SQL, *self._target(n))

        async def repository(n: int) -> Any:
            task_id, owner_id = self._target(n)
            uow = SqlAlchemyUnitOfWork(self._engine, self._read_engine)
            async with uow.reading():
                return await uow.tasks.get(owner_id, task_id)

        async def asyncpg_pool(n: int) -> Any:
            async with pool.acquire() as connection:
                return await connection.fetchrow(SQL, *self._target(n))

        return {
            "driver": driver,
            "sqlalchemy pool": sqlalchemy_pool,
            "sqlalchemy connection": sqlalchemy_connection,
            "unit of work": unit_of_work,
            "repository": repository,
            CEILING: asyncpg_pool,
        }


async def cpu_per_read(read: Read, reads: int, readers: int) -> float:
    """CPU seconds of this process per read, ``readers`` reading at once."""

    async def reader(first: int) -> None:
        for n in range(first, reads, readers):
            await read(n)

    started = time.process_time()
    await asyncio.gather(*(reader(first) for first in range(readers)))
    return (time.process_time() - started) / reads


async def measure(
    seeded: Seeded, reads: int, rounds: int, readers: int = READERS
) -> dict[str, list[float]]:
    """Each layer's CPU per read in every round, after one warm-up pass of each."""
    layers = Layers(seeded, readers)
    await layers.open()
    try:
        chosen = layers.reads()
        for read in chosen.values():
            await cpu_per_read(read, min(reads, 2000), readers)
        results: dict[str, list[float]] = {name: [] for name in chosen}
        for _ in range(rounds):
            for name, read in chosen.items():
                results[name].append(await cpu_per_read(read, reads, readers))
        return results
    finally:
        await layers.close()


def table(results: dict[str, list[float]]) -> str:
    """The results as a markdown table, in microseconds."""
    lines = [
        "| layer | CPU us per read, median | best | adds to the layer above (median) |",
        "| --- | ---: | ---: | ---: |",
    ]
    previous: float | None = None
    for name, samples in results.items():
        median = statistics.median(samples) * 1e6
        ceiling = name == CEILING
        added = "" if previous is None or ceiling else f"{median - previous:+.1f}"
        lines.append(f"| {name} | {median:.1f} | {min(samples) * 1e6:.1f} | {added} |")
        if not ceiling:
            previous = median
    return "\n".join(lines)


def main() -> int:
    with throwaway_database(SERVER, f"bench_read_path_{secrets.token_hex(4)}") as url:
        upgrade_schema(DatabaseSettings(url=url))
        seeded = uvloop.run(seed(url))
        # On uvloop and with the collector set, as the server runs.
        uvloop.run(tune_garbage_collector())
        results = uvloop.run(measure(seeded, READS, ROUNDS))
    print(f"\nGET one task by id, database part: {READERS} readers, {READS} reads a round,")
    print(f"medians of {ROUNDS} interleaved rounds, CPU time of this process per read")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
