"""Running one job: claim it, process its tasks batch by batch, finish it.

Each batch marks its tasks and records the job's progress in one transaction, so a
crash loses at most the batch in flight and never processes a task twice: the next
worker resumes after the last committed batch. Every write is conditional on the
worker still holding the lease, so a worker that stalled past it cannot double up, and
on the progress it last saw, so a batch whose COMMIT was lost in transit but landed is
not worked again: the worker re-reads the job and goes on from the stored count.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from application.retry import RetryPolicy
from domain.errors import DomainError, UnavailableError
from domain.ids import TaskId
from domain.job import Job, JobStatus, storable_task_ids
from domain.unit_of_work import UnitOfWork

logger = logging.getLogger("tasklane.jobs")


@dataclass(frozen=True, slots=True)
class JobSettings:
    """How jobs are queued and worked: ``workers`` per app instance, each holding a job
    for ``lease_s`` seconds at a time; on shutdown a job gets ``grace_s`` to finish.
    """

    workers: int = 1
    lease_s: float = 30.0
    batch_size: int = 100
    max_attempts: int = 5
    poll_interval_s: float = 0.5
    grace_s: float = 10.0
    # A user's queued and running jobs at most; the next submission is refused (429).
    max_queued_per_user: int = 10
    # Finished jobs are deleted this long after they finished, by each worker at most
    # every ``purge_interval_s``, ``purge_batch`` rows per statement, at most
    # ``purge_batches`` statements per sweep (so a sweep never holds a worker long).
    retention_hours: float = 168.0
    purge_interval_s: float = 300.0
    purge_batch: int = 500
    purge_batches: int = 4


def _utc_now() -> datetime:
    return datetime.now(UTC)


class LeaseLostError(Exception):
    """Another worker took the job over (our lease expired): stop touching it."""


@dataclass(slots=True)
class JobProcessor:
    """Runs jobs for one worker identity."""

    uow_factory: Callable[[], UnitOfWork]
    worker: str
    settings: JobSettings = field(default_factory=JobSettings)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    clock: Callable[[], datetime] = field(default=_utc_now)

    async def claim(self) -> Job | None:
        """Lease the next job to this worker, or ``None`` when the queue is empty."""
        return await self.retry.run(self._claim)

    async def _claim(self) -> Job | None:
        async with self.uow_factory() as uow:
            job = await uow.jobs.claim(self.worker, self.settings.lease_s)
            if job is not None and job.attempts > self.settings.max_attempts:
                # Its earlier workers all died on it: do not let it take down more.
                await uow.jobs.finish(
                    job.id,
                    self.worker,
                    JobStatus.FAILED,
                    f"gave up after {job.attempts - 1} interrupted attempts",
                )
                job = None
            await uow.commit()
        return job

    async def step(self, job: Job) -> Job:
        """Process the next batch of ``job``; the job as it now stands."""
        return await self._step(job, self.settings.batch_size)

    async def _step(self, job: Job, size: int) -> Job:
        batch = job.remaining[:size]
        try:
            return await self.retry.run(lambda: self._advance(job, batch))
        except UnavailableError:
            raise
        except DomainError as error:
            failure = f"task {batch[0]}: {error.detail}"
        if size > 1:
            # Some task of the batch fails on its own: go one by one to find it.
            end = job.processed + len(batch)
            while job.processed < end:
                job = await self._step(job, 1)
            return job
        logger.warning("job %s: %s", job.id, failure)
        return await self.retry.run(lambda: self._record_failure(job, failure))

    async def reload(self, job: Job) -> Job:
        """``job`` as stored now, to go on from after an unknown outcome;
        ``LeaseLostError`` if this worker no longer holds it.
        """
        return await self.retry.run(lambda: self._reload(job))

    async def _reload(self, job: Job) -> Job:
        async with self.uow_factory() as uow:
            return _still_held(job, await uow.jobs.held(job.id, self.worker))

    async def purge(self) -> int:
        """Delete jobs finished longer than the retention period ago, in bounded
        batches of their own transactions; how many went.
        """
        cutoff = self.clock() - timedelta(hours=self.settings.retention_hours)
        purged = 0
        for _ in range(self.settings.purge_batches):
            deleted = await self.retry.run(lambda: self._purge_batch(cutoff))
            purged += deleted
            if deleted < self.settings.purge_batch:
                break
        return purged

    async def _purge_batch(self, cutoff: datetime) -> int:
        async with self.uow_factory() as uow:
            deleted = await uow.jobs.purge_finished(cutoff, self.settings.purge_batch)
            await uow.commit()
        return deleted

    async def finish(self, job: Job) -> Job:
        """Mark a job with nothing remaining as succeeded."""
        return await self.retry.run(lambda: self._finish(job, JobStatus.SUCCEEDED, job.error))

    async def fail(self, job: Job, error: str) -> Job:
        """End a job that cannot go on."""
        return await self.retry.run(lambda: self._finish(job, JobStatus.FAILED, error))

    async def release(self, job: Job) -> None:
        """Give an unfinished job back to the queue (on shutdown)."""
        async with self.uow_factory() as uow:
            await uow.jobs.release(job.id, self.worker)
            await uow.commit()

    async def _advance(self, job: Job, batch: tuple[TaskId, ...]) -> Job:
        async with self.uow_factory() as uow:
            marked = await uow.tasks.mark_processed(job.owner_id, storable_task_ids(batch))
            skipped = [task_id for task_id in batch if task_id not in marked]
            advanced = await uow.jobs.advance(
                job.id, self.worker, job.processed, len(batch), skipped, self.settings.lease_s
            )
            if advanced is None:
                # Leaving without commit undoes this batch's marks.
                return _still_held(job, await uow.jobs.held(job.id, self.worker))
            await uow.commit()
        return advanced

    async def _record_failure(self, job: Job, failure: str) -> Job:
        async with self.uow_factory() as uow:
            advanced = await uow.jobs.advance(
                job.id, self.worker, job.processed, 1, (), self.settings.lease_s, failure=failure
            )
            if advanced is None:
                return _still_held(job, await uow.jobs.held(job.id, self.worker))
            await uow.commit()
        return advanced

    async def _finish(self, job: Job, status: JobStatus, error: str | None) -> Job:
        async with self.uow_factory() as uow:
            finished = await uow.jobs.finish(job.id, self.worker, status, error)
            if finished is None:
                raise LeaseLostError(f"job {job.id}: lease lost")
            await uow.commit()
        return finished


def _still_held(seen: Job, stored: Job | None) -> Job:
    """The stored job to go on from, when progress did not move from ``seen``'s count:
    an earlier commit whose outcome was unknown did land. ``LeaseLostError`` when the
    job is no longer this worker's.
    """
    if stored is None:
        raise LeaseLostError(f"job {seen.id}: lease lost")
    if stored.processed != seen.processed:
        logger.info(
            "job %s: progress is %d, not %d: an earlier commit landed; going on from there",
            seen.id,
            stored.processed,
            seen.processed,
        )
    return stored
