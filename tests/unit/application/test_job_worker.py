"""The worker loop: serving the queue, and stopping gracefully within its grace period."""

import asyncio
from collections.abc import Sequence
from typing import cast

import pytest

from application.jobs.processing import JobProcessor
from application.jobs.settings import JobSettings
from application.jobs.worker import JobWorker
from application.retry import RetryPolicy
from application.runner import UseCaseRunner
from domain.ids import TaskId, UserId
from domain.job import JobStatus
from domain.repositories import TaskRepository
from domain.task import Task
from domain.user import User
from infrastructure.persistence.memory import (
    InMemoryStore,
    InMemoryTaskRepository,
    InMemoryUnitOfWork,
)
from tests.unit.application.test_job_processing import (
    add_tasks,
    enqueue,
    stored_job,
    stored_task,
)

pytestmark = pytest.mark.asyncio


class _SlowTasks:
    """The store's tasks, each batch taking a while, as on a loaded database."""

    def __init__(self, tasks: InMemoryTaskRepository, delay_s: float) -> None:
        self._tasks = tasks
        self._delay_s = delay_s

    async def mark_processed(self, owner_id: UserId, task_ids: Sequence[TaskId]) -> set[TaskId]:
        await asyncio.sleep(self._delay_s)
        return await self._tasks.mark_processed(owner_id, task_ids)


def slow_worker(store: InMemoryStore, grace_s: float, delay_s: float = 0.01) -> JobWorker:
    def factory() -> InMemoryUnitOfWork:
        uow = InMemoryUnitOfWork(store)
        slow = _SlowTasks(cast(InMemoryTaskRepository, uow.tasks), delay_s)
        uow.tasks = cast(TaskRepository, slow)
        return uow

    settings = JobSettings(batch_size=1, poll_interval_s=0.01, grace_s=grace_s)
    return JobWorker(JobProcessor(UseCaseRunner(factory, RetryPolicy(attempts=1)), "w", settings))


async def processed_tasks(store: InMemoryStore, owner: User, tasks: Sequence[Task]) -> int:
    return sum([(await stored_task(store, owner, task)).processed for task in tasks])


async def test_the_loop_works_queued_jobs_and_stops_when_told(
    store: InMemoryStore, alice: User
) -> None:
    tasks = await add_tasks(store, alice, 3)
    job = await enqueue(store, alice, [t.id for t in tasks])
    stop = asyncio.Event()
    running = asyncio.create_task(slow_worker(store, grace_s=1.0, delay_s=0).run(stop))
    async with asyncio.timeout(2):
        while (await stored_job(store, alice, job.id)).status is not JobStatus.SUCCEEDED:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    stop.set()
    async with asyncio.timeout(1):
        await running


async def test_past_the_grace_period_the_job_goes_back_to_the_queue_whole(
    store: InMemoryStore, alice: User
) -> None:
    tasks = await add_tasks(store, alice, 100)
    job = await enqueue(store, alice, [t.id for t in tasks])
    stop = asyncio.Event()
    running = asyncio.create_task(slow_worker(store, grace_s=0.05).run(stop))
    await asyncio.sleep(0.1)
    stop.set()
    async with asyncio.timeout(2):
        await running

    released = await stored_job(store, alice, job.id)
    assert released.status is JobStatus.QUEUED
    assert 0 < released.processed < 100
    # Progress and processing were committed together: nothing half-done.
    assert await processed_tasks(store, alice, tasks) == released.processed


async def test_within_the_grace_period_the_job_is_finished(
    store: InMemoryStore, alice: User
) -> None:
    tasks = await add_tasks(store, alice, 10)
    job = await enqueue(store, alice, [t.id for t in tasks])
    stop = asyncio.Event()
    running = asyncio.create_task(slow_worker(store, grace_s=5.0).run(stop))
    await asyncio.sleep(0.03)
    stop.set()
    async with asyncio.timeout(3):
        await running

    finished = await stored_job(store, alice, job.id)
    assert (finished.status, finished.processed) == (JobStatus.SUCCEEDED, 10)


class _BrokenTasks:
    """Marking fails with an unexpected error (a bug, say) for one owner's tasks."""

    def __init__(self, tasks: InMemoryTaskRepository, broken_owner: UserId) -> None:
        self._tasks = tasks
        self._broken_owner = broken_owner

    async def mark_processed(self, owner_id: UserId, task_ids: Sequence[TaskId]) -> set[TaskId]:
        if owner_id == self._broken_owner:
            raise RuntimeError("unexpected")
        return await self._tasks.mark_processed(owner_id, task_ids)


async def test_a_job_that_cannot_go_on_fails_and_the_worker_serves_the_next(
    store: InMemoryStore, alice: User, bob: User
) -> None:
    def factory() -> InMemoryUnitOfWork:
        uow = InMemoryUnitOfWork(store)
        broken = _BrokenTasks(cast(InMemoryTaskRepository, uow.tasks), alice.id)
        uow.tasks = cast(TaskRepository, broken)
        return uow

    settings = JobSettings(poll_interval_s=0.01)
    worker = JobWorker(JobProcessor(UseCaseRunner(factory, RetryPolicy(attempts=1)), "w", settings))
    doomed = await enqueue(store, alice, [t.id for t in await add_tasks(store, alice, 2)])
    fine = await enqueue(store, bob, [t.id for t in await add_tasks(store, bob, 2)])
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    async with asyncio.timeout(2):
        while (await stored_job(store, bob, fine.id)).status is not JobStatus.SUCCEEDED:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    stop.set()
    await running

    failed = await stored_job(store, alice, doomed.id)
    assert failed.status is JobStatus.FAILED
    assert failed.error == "processing stopped: RuntimeError"
    assert failed.finished_at is not None
