"""The per-user cap on unfinished jobs, and the workers' purges: finished jobs, expired
idempotency keys."""

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from application.jobs.processing import JobProcessor
from application.jobs.settings import JobSettings
from application.jobs.submission import QUEUE_FULL_RETRY_AFTER_S, submit_processing
from application.jobs.worker import JobWorker
from application.retry import RetryPolicy
from application.runner import UseCaseRunner
from domain.errors import TooManyRequestsError
from domain.idempotency import RememberedResponse
from domain.job import Job
from domain.user import User
from infrastructure.persistence.memory import InMemoryStore, InMemoryUnitOfWork
from tests.unit.application.test_job_processing import enqueue, processor, run_to_end

pytestmark = pytest.mark.asyncio

RETENTION = JobSettings(retention_hours=24, purge_batch=2, purge_batches=3, poll_interval_s=0.01)


def later(hours: float) -> datetime:
    return datetime.now(UTC) + timedelta(hours=hours)


def purging(store: InMemoryStore, clock_hours: float, settings: JobSettings) -> JobProcessor:
    """A processor whose clock runs ``clock_hours`` ahead."""
    return JobProcessor(
        UseCaseRunner(lambda: InMemoryUnitOfWork(store), RetryPolicy(attempts=1)),
        "sweeper",
        settings,
        clock=lambda: later(clock_hours),
    )


async def finished_jobs(store: InMemoryStore, owner: User, count: int) -> list[Job]:
    jobs = [await enqueue(store, owner, [1]) for _ in range(count)]
    for _ in jobs:
        await run_to_end(processor(store))
    return jobs


def stored_ids(store: InMemoryStore) -> set[int]:
    return set(store.jobs)


async def test_submissions_beyond_the_cap_are_refused_until_a_job_ends(
    uow: InMemoryUnitOfWork, store: InMemoryStore, alice: User, bob: User
) -> None:
    for _ in range(3):
        await submit_processing(uow, alice.id, [1], 3)
    with pytest.raises(TooManyRequestsError) as refused:
        await submit_processing(uow, alice.id, [1], 3)
    assert refused.value.retry_after_s == QUEUE_FULL_RETRY_AFTER_S
    assert "at most 3 jobs" in refused.value.detail
    assert len(store.jobs) == 3
    # Another user's queue is their own.
    await submit_processing(uow, bob.id, [1], 3)
    # A running job still counts; a finished one no longer does.
    worker = processor(store)
    job = await worker.claim()
    assert job is not None
    with pytest.raises(TooManyRequestsError):
        await submit_processing(uow, alice.id, [1], 3)
    while job.remaining:
        job = await worker.step(job)
    await worker.finish(job)
    await submit_processing(uow, alice.id, [1], 3)


async def test_a_sweep_purges_old_finished_jobs_in_bounded_batches(
    store: InMemoryStore, alice: User
) -> None:
    old = await finished_jobs(store, alice, 7)
    unfinished = await enqueue(store, alice, [1])
    # Not old enough yet: nothing goes.
    assert await purging(store, 23, RETENTION).purge() == 0
    sweeper = purging(store, 25, RETENTION)
    # Three statements of two rows each per sweep, then the next sweep takes the rest.
    assert await sweeper.purge() == 6
    assert await sweeper.purge() == 1
    assert await sweeper.purge() == 0
    assert stored_ids(store) == {unfinished.id}
    assert unfinished.id not in {job.id for job in old}


async def test_the_worker_sweeps_once_within_each_interval(
    store: InMemoryStore, alice: User
) -> None:
    interval = 0.2
    settings = JobSettings(retention_hours=24, purge_interval_s=interval)
    worker = JobWorker(purging(store, 25, settings))
    (first,) = await finished_jobs(store, alice, 1)
    # The first sweep comes somewhere within the first interval.
    async with asyncio.timeout(interval * 4):
        while first.id in stored_ids(store):
            await worker.purge_if_due()
            await asyncio.sleep(interval / 20)
    (second,) = await finished_jobs(store, alice, 1)
    await worker.purge_if_due()
    assert stored_ids(store) == {second.id}  # swept just now: not again yet
    await asyncio.sleep(interval * 1.5)
    await worker.purge_if_due()
    assert stored_ids(store) == set()


async def test_the_running_loop_purges_while_it_serves_the_queue(
    store: InMemoryStore, alice: User
) -> None:
    old = await finished_jobs(store, alice, 3)
    settings = JobSettings(retention_hours=24, purge_interval_s=0.02, poll_interval_s=0.01)
    stop = asyncio.Event()
    running = asyncio.create_task(JobWorker(purging(store, 25, settings)).run(stop))
    try:
        async with asyncio.timeout(2):
            while stored_ids(store) & {job.id for job in old}:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
    finally:
        stop.set()
        await running


async def remembered_keys(store: InMemoryStore, owner: User, count: int) -> None:
    uow = InMemoryUnitOfWork(store)
    async with uow:
        for n in range(count):
            await uow.remembered.remember_first(
                RememberedResponse(owner.id, f"key-{n}", "f", 201, b"{}", None, None, later(0))
            )
        await uow.commit()


async def test_a_sweep_forgets_expired_idempotency_keys_in_bounded_batches(
    store: InMemoryStore, alice: User
) -> None:
    await remembered_keys(store, alice, 7)
    settings = replace(RETENTION, idempotency_ttl_hours=24)
    # Kept at least as long as the time to live.
    assert await purging(store, 23, settings).forget_keys() == 0
    sweeper = purging(store, 25, settings)
    assert await sweeper.forget_keys() == 6
    assert await sweeper.forget_keys() == 1
    assert store.remembered == {}


async def test_the_worker_sweeps_jobs_and_keys_together(store: InMemoryStore, alice: User) -> None:
    await finished_jobs(store, alice, 1)
    await remembered_keys(store, alice, 1)
    settings = JobSettings(retention_hours=24, idempotency_ttl_hours=24, purge_interval_s=0.0)
    worker = JobWorker(purging(store, 25, settings))
    await worker.purge_if_due()
    assert stored_ids(store) == set()
    assert store.remembered == {}
