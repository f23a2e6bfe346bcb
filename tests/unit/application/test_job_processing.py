"""Running jobs on the in-memory store: batches, skips, failures, leases and give-ups."""

import asyncio
from collections.abc import Sequence
from typing import cast

import pytest

from application.jobs.processing import JobProcessor, LeaseLostError
from application.jobs.settings import JobSettings
from application.retry import RetryPolicy
from application.runner import UseCaseRunner
from domain.errors import InvalidInputError
from domain.ids import MAX_ID, JobId, TaskId, UserId
from domain.job import Job, JobStatus, NewJob
from domain.repositories import TaskRepository
from domain.task import NewTask, Task
from domain.user import User
from infrastructure.persistence.memory import (
    InMemoryStore,
    InMemoryTaskRepository,
    InMemoryUnitOfWork,
)

pytestmark = pytest.mark.asyncio

SHORT = 0.02


class _FailingTasks:
    """The store's tasks, except that marking ``bad`` fails as a broken task would."""

    def __init__(self, tasks: InMemoryTaskRepository, bad: TaskId) -> None:
        self._tasks = tasks
        self._bad = bad

    async def mark_processed(self, owner_id: UserId, task_ids: Sequence[TaskId]) -> set[TaskId]:
        if self._bad in task_ids:
            raise InvalidInputError("cannot be processed")
        return await self._tasks.mark_processed(owner_id, task_ids)


def processor(
    store: InMemoryStore,
    worker: str = "w",
    settings: JobSettings | None = None,
    bad: TaskId | None = None,
) -> JobProcessor:
    def factory() -> InMemoryUnitOfWork:
        uow = InMemoryUnitOfWork(store)
        if bad is not None:
            uow.tasks = cast(
                TaskRepository, _FailingTasks(cast(InMemoryTaskRepository, uow.tasks), bad)
            )
        return uow

    run = UseCaseRunner(factory, RetryPolicy(attempts=1))
    return JobProcessor(run, worker, settings or JobSettings())


async def add_tasks(store: InMemoryStore, owner: User, count: int) -> list[Task]:
    async with InMemoryUnitOfWork(store) as uow:
        tasks = [await uow.tasks.add(NewTask(owner.id, f"task {n}")) for n in range(count)]
        await uow.commit()
    return tasks


async def enqueue(store: InMemoryStore, owner: User, task_ids: Sequence[int]) -> Job:
    async with InMemoryUnitOfWork(store) as uow:
        job = await uow.jobs.add(NewJob.listing(owner.id, task_ids))
        await uow.commit()
    return job


async def stored_job(store: InMemoryStore, owner: User, job_id: JobId) -> Job:
    async with InMemoryUnitOfWork(store) as uow:
        job = await uow.jobs.get(owner.id, job_id)
    assert job is not None
    return job


async def stored_task(store: InMemoryStore, owner: User, task: Task) -> Task:
    async with InMemoryUnitOfWork(store) as uow:
        found = await uow.tasks.get(owner.id, task.id)
    assert found is not None
    return found


async def run_to_end(worker: JobProcessor) -> Job:
    job = await worker.claim()
    assert job is not None
    while job.remaining:
        before = job.processed
        job = await worker.step(job)
        assert job.processed > before
    return await worker.finish(job)


async def test_a_job_marks_the_owners_tasks_and_skips_the_rest(
    store: InMemoryStore, alice: User, bob: User
) -> None:
    first, second, third = await add_tasks(store, alice, 3)
    (foreign,) = await add_tasks(store, bob, 1)
    listed = [first.id, foreign.id, 999_999, second.id, MAX_ID + 1, third.id]
    job = await enqueue(store, alice, listed)
    done = await run_to_end(processor(store, settings=JobSettings(batch_size=2)))
    assert (done.id, done.status, done.error) == (job.id, JobStatus.SUCCEEDED, None)
    assert (done.processed, done.total) == (6, 6)
    assert done.skipped == (foreign.id, 999_999, MAX_ID + 1)
    assert done.finished_at is not None
    assert await stored_job(store, alice, job.id) == done
    for task in (first, second, third):
        marked = await stored_task(store, alice, task)
        assert (marked.processed, marked.version) == (True, 2)
    assert await stored_task(store, bob, foreign) == foreign
    assert await processor(store).claim() is None


async def test_a_failing_task_is_recorded_and_the_others_still_run(
    store: InMemoryStore, alice: User
) -> None:
    tasks = await add_tasks(store, alice, 3)
    job = await enqueue(store, alice, [task.id for task in tasks])
    done = await run_to_end(processor(store, settings=JobSettings(batch_size=3), bad=tasks[1].id))
    assert (done.status, done.processed, done.skipped) == (JobStatus.SUCCEEDED, 3, ())
    assert done.error == f"task {tasks[1].id}: cannot be processed"
    processed = [(await stored_task(store, alice, task)).processed for task in tasks]
    assert processed == [True, False, True]
    assert await stored_job(store, alice, job.id) == done


async def test_a_worker_that_lost_its_lease_stops_touching_the_job(
    store: InMemoryStore, alice: User
) -> None:
    tasks = await add_tasks(store, alice, 2)
    await enqueue(store, alice, [task.id for task in tasks])
    slow = processor(store, "slow", JobSettings(lease_s=SHORT, batch_size=1))
    job = await slow.claim()
    assert job is not None
    await asyncio.sleep(SHORT * 3)
    taken = await processor(store, "fast").claim()
    assert taken is not None
    assert (taken.id, taken.attempts) == (job.id, 2)
    with pytest.raises(LeaseLostError):
        await slow.step(job)
    with pytest.raises(LeaseLostError):
        await slow.finish(job)
    assert not (await stored_task(store, alice, tasks[0])).processed


async def test_a_job_that_keeps_losing_its_workers_is_given_up(
    store: InMemoryStore, alice: User
) -> None:
    job = await enqueue(store, alice, [1])
    assert (
        await processor(store, "first", JobSettings(lease_s=SHORT, max_attempts=1)).claim()
        is not None
    )
    await asyncio.sleep(SHORT * 3)
    assert await processor(store, "second", JobSettings(max_attempts=1)).claim() is None
    failed = await stored_job(store, alice, job.id)
    assert (failed.status, failed.attempts) == (JobStatus.FAILED, 2)
    assert failed.error == "gave up after 1 interrupted attempts"


async def test_a_released_job_resumes_where_it_stopped(store: InMemoryStore, alice: User) -> None:
    tasks = await add_tasks(store, alice, 3)
    await enqueue(store, alice, [task.id for task in tasks])
    leaving = processor(store, "leaving", JobSettings(batch_size=1))
    job = await leaving.claim()
    assert job is not None
    job = await leaving.step(job)
    await leaving.release(job)
    done = await run_to_end(processor(store, "next", JobSettings(batch_size=1)))
    # The hand-back did not count as an interrupted attempt.
    assert (done.status, done.processed, done.attempts) == (JobStatus.SUCCEEDED, 3, 1)
    assert [(await stored_task(store, alice, task)).version for task in tasks] == [2, 2, 2]
