"""A job's batch COMMIT lost in transit on PostgreSQL: whether it landed or not, every
listed task is processed exactly once and the job's count ends at its total.

The worker's connections go through ``CommitCutter``, a TCP proxy that cuts the
connection at a chosen COMMIT, after the server committed it or before it saw it.
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit
from uuid import uuid4

import pytest
import pytest_asyncio

from application.jobs.processing import JobProcessor
from application.jobs.settings import JobSettings
from application.jobs.worker import JobWorker
from application.retry import RetryPolicy
from application.runner import UseCaseRunner
from domain.ids import TaskId
from domain.job import JobStatus, NewJob
from domain.task import NewTask, Task
from domain.unit_of_work import UnitOfWork
from domain.user import NewUser, User
from infrastructure.persistence.sqlalchemy import (
    SqlAlchemyUnitOfWork,
    build_engine,
)
from infrastructure.settings import DatabaseSettings
from tests.faults.conftest import FAULT_DATABASE, Cluster
from tests.support.commit_cutter import CommitCutter

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio]

JOBS_LOGGER = "tasklane.jobs"
LANDED = "an earlier commit landed"


@dataclass
class Database:
    """Units of work straight to the cluster, and through the cutting proxy."""

    direct: SqlAlchemyUnitOfWork
    proxied: SqlAlchemyUnitOfWork
    proxy: CommitCutter


def _through(url: str, port: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{port}"))


@pytest_asyncio.fixture
async def database(cluster: Cluster) -> AsyncIterator[Database]:
    parts = urlsplit(cluster.url)
    async with CommitCutter(parts.hostname or "127.0.0.1", parts.port or 5432) as proxy:
        direct = build_engine(DatabaseSettings(url=cluster.url, **FAULT_DATABASE), production=False)
        proxied = build_engine(
            DatabaseSettings(url=_through(cluster.url, proxy.port), **FAULT_DATABASE),
            production=False,
        )
        try:
            yield Database(
                SqlAlchemyUnitOfWork(direct),
                SqlAlchemyUnitOfWork(proxied),
                proxy,
            )
        finally:
            await proxied.dispose()
            await direct.dispose()


async def _user(uow: UnitOfWork) -> User:
    async with uow:
        user = await uow.users.add(NewUser(f"lost-commit-{uuid4().hex[:8]}@example.com", "x"))
        await uow.commit()
    return user


async def _tasks(uow: UnitOfWork, owner: User, count: int) -> list[Task]:
    async with uow:
        tasks = [await uow.tasks.add(NewTask(owner.id, f"t{n}")) for n in range(count)]
        await uow.commit()
    return tasks


@pytest.mark.parametrize("landed", [True, False], ids=["commit-landed", "commit-lost"])
async def test_a_batch_commit_cut_off_is_counted_exactly_once(
    database: Database, caplog: pytest.LogCaptureFixture, landed: bool
) -> None:
    caplog.set_level(logging.INFO, logger=JOBS_LOGGER)
    owner, other = await _user(database.direct), await _user(database.direct)
    tasks = await _tasks(database.direct, owner, 7)
    (foreign,) = await _tasks(database.direct, other, 1)
    listed = [t.id for t in tasks[:3]] + [foreign.id, TaskId(10**12)] + [t.id for t in tasks[3:]]
    async with database.direct as uow:
        job = await uow.jobs.add(NewJob.listing(owner.id, listed))
        await uow.commit()

    settings = JobSettings(batch_size=3, poll_interval_s=0.01, lease_s=30)
    run = UseCaseRunner(lambda: database.proxied, RetryPolicy(attempts=1))
    processor = JobProcessor(run, f"w-{uuid4().hex[:6]}", settings)
    claimed = await processor.claim()
    assert claimed is not None
    assert claimed.id == job.id
    # Batches of 3 over 9 ids: commits 1 to 3. Cut the second.
    database.proxy.cut_at_commit(2, deliver=landed)
    async with asyncio.timeout(10):
        await JobWorker(processor).work(claimed, asyncio.Event())
    assert database.proxy.cuts == 1

    async with database.direct as uow:
        done = await uow.jobs.get(owner.id, job.id)
        stored = [await uow.tasks.get(owner.id, t.id) for t in tasks]
        untouched = await uow.tasks.get(other.id, foreign.id)
    assert done is not None
    assert (done.status, done.error) == (JobStatus.SUCCEEDED, None)
    assert (done.processed, done.total) == (9, 9)
    assert done.skipped == (foreign.id, TaskId(10**12))
    for task in stored:
        assert task is not None
        # Marked exactly once: one version bump, a processed_at of that one write.
        assert (task.processed, task.version) == (True, 2), task
        assert task.processed_at is not None
    assert untouched == foreign
    messages = [r.getMessage() for r in caplog.records if r.name == JOBS_LOGGER]
    assert any(LANDED in m for m in messages) is landed, messages
