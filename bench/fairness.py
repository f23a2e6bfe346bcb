"""How long one user's single job waits behind another user's backlog.

User A queues ``FAIR_JOBS`` jobs (default 300) of ``FAIR_TASKS`` of A's tasks each
(default 100); then one worker starts and user B queues one job of one task. Prints how
long B's job took from submission to success, and the worker's mean claim time. Runs on
a PostgreSQL database of its own (``BENCH_DATABASE_URL``, the test server by default),
dropped at the end. The store is written directly, so the per-user cap does not apply.

    .venv/bin/python -m bench.fairness
"""

import asyncio
import os
import secrets
import time

import asyncpg

from application.jobs.processing import JobProcessor
from application.jobs.settings import JobSettings
from application.jobs.worker import JobWorker
from application.retry import RetryPolicy
from application.runner import UseCaseRunner
from bench.databases import throwaway_database
from domain.job import JobStatus, NewJob
from domain.task import NewTask
from domain.user import NewUser, User
from infrastructure.persistence.sqlalchemy import (
    SqlAlchemyUnitOfWork,
    build_engine,
    upgrade_schema,
)
from infrastructure.settings import DatabaseSettings

JOBS = int(os.environ.get("FAIR_JOBS", "300"))
TASKS = int(os.environ.get("FAIR_TASKS", "100"))
SERVER = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


async def _user(uow: SqlAlchemyUnitOfWork, email: str, tasks: int) -> tuple[User, list[int]]:
    async with uow:
        user = await uow.users.add(NewUser(email, "not-a-hash"))
        ids = [(await uow.tasks.add(NewTask(user.id, f"t{n}"))).id for n in range(tasks)]
        await uow.commit()
    return user, ids


async def _measure(url: str) -> None:
    engine = build_engine(DatabaseSettings(url=url), production=False)
    uow = SqlAlchemyUnitOfWork(engine)
    try:
        alice, alice_tasks = await _user(uow, "a@example.com", TASKS)
        bob, bob_tasks = await _user(uow, "b@example.com", 1)
        async with uow:
            for _ in range(JOBS):
                await uow.jobs.add(NewJob.listing(alice.id, alice_tasks))
            await uow.commit()

        claim_ms = await _claim_ms(uow)
        run = UseCaseRunner(lambda: SqlAlchemyUnitOfWork(engine), RetryPolicy())
        processor = JobProcessor(run, "bench", JobSettings())
        stop = asyncio.Event()
        running = asyncio.create_task(JobWorker(processor).run(stop))
        submitted = time.perf_counter()
        async with uow:
            job = await uow.jobs.add(NewJob.listing(bob.id, bob_tasks))
            await uow.commit()
        while True:
            async with uow:
                current = await uow.jobs.get(bob.id, job.id)
            assert current is not None
            if current.status is JobStatus.SUCCEEDED:
                break
            await asyncio.sleep(0.005)
        waited = time.perf_counter() - submitted
        ahead = await _succeeded(url, alice)
        stop.set()
        await running
        print(f"B's one-task job behind {JOBS} jobs x {TASKS} tasks of A's: {waited:.3f} s")
        print(f"A's jobs finished when B's had: {ahead}; one claim: {claim_ms:.2f} ms")
    finally:
        await engine.dispose()


async def _claim_ms(uow: SqlAlchemyUnitOfWork, rounds: int = 20) -> float:
    """The mean time of a claim statement over the full queue (rolled back each time)."""
    total = 0.0
    for n in range(rounds + 1):
        async with uow:
            started = time.perf_counter()
            await uow.jobs.claim("probe", 30.0)
            # The first round warms the connection up.
            total += (time.perf_counter() - started) * (n > 0)
    return total / rounds * 1000


async def _succeeded(url: str, owner: User) -> int:
    connection = await asyncpg.connect(url)
    try:
        return int(
            await connection.fetchval(
                "SELECT count(*) FROM jobs WHERE user_id = $1 AND status = 'succeeded'", owner.id
            )
        )
    finally:
        await connection.close()


def main() -> None:
    with throwaway_database(SERVER, f"tasklane_fairness_{secrets.token_hex(4)}") as url:
        upgrade_schema(DatabaseSettings(url=url))
        asyncio.run(_measure(url))


if __name__ == "__main__":
    main()
