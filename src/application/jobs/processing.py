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

from application.jobs.settings import JobSettings
from application.runner import UseCaseRunner
from domain.errors import DomainError, UnavailableError
from domain.ids import TaskId
from domain.job import Job, JobStatus, storable_task_ids
from domain.unit_of_work import UnitOfWork

logger = logging.getLogger("tasklane.jobs")


def _utc_now() -> datetime:
    return datetime.now(UTC)


class LeaseLostError(Exception):
    """Another worker took the job over (our lease expired): stop touching it."""


@dataclass(slots=True)
class JobProcessor:
    """Runs jobs for one worker identity. Each step is a unit of work of its own, run
    (and retried on transient failures) by ``run``, like every use case.
    """

    run: UseCaseRunner
    worker: str
    settings: JobSettings = field(default_factory=JobSettings)
    clock: Callable[[], datetime] = field(default=_utc_now)

    async def claim(self) -> Job | None:
        """Lease the next job to this worker, or ``None`` when the queue is empty."""
        return await self.run(self._claim)

    async def _claim(self, uow: UnitOfWork) -> Job | None:
        async with uow:
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
            with self.run.telemetry.batch(job.id, len(batch)):
                return await self.run(self._advance, job, batch)
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
        return await self.run(self._record_failure, job, failure)

    async def reload(self, job: Job) -> Job:
        """``job`` as stored now, to go on from after an unknown outcome;
        ``LeaseLostError`` if this worker no longer holds it.
        """
        return await self.run(self._reload, job)

    async def _reload(self, uow: UnitOfWork, job: Job) -> Job:
        async with uow:
            return _still_held(job, await uow.jobs.held(job.id, self.worker))

    async def purge(self) -> int:
        """Delete jobs finished longer than the retention period ago, in bounded
        batches of their own transactions; how many went.
        """
        cutoff = self.clock() - timedelta(hours=self.settings.retention_hours)
        purged = 0
        for _ in range(self.settings.purge_batches):
            deleted = await self.run(self._purge_batch, cutoff)
            purged += deleted
            if deleted < self.settings.purge_batch:
                break
        return purged

    async def _purge_batch(self, uow: UnitOfWork, cutoff: datetime) -> int:
        async with uow:
            deleted = await uow.jobs.purge_finished(cutoff, self.settings.purge_batch)
            await uow.commit()
        return deleted

    async def forget_keys(self) -> int:
        """Delete remembered idempotency responses older than their time to live, in
        bounded batches of their own transactions; how many went.
        """
        cutoff = self.clock() - timedelta(hours=self.settings.idempotency_ttl_hours)
        forgotten = 0
        for _ in range(self.settings.purge_batches):
            deleted = await self.run(self._forget_batch, cutoff)
            forgotten += deleted
            if deleted < self.settings.purge_batch:
                break
        return forgotten

    async def _forget_batch(self, uow: UnitOfWork, cutoff: datetime) -> int:
        async with uow:
            deleted = await uow.remembered.purge_expired(cutoff, self.settings.purge_batch)
            await uow.commit()
        return deleted

    async def finish(self, job: Job) -> Job:
        """Mark a job with nothing remaining as succeeded."""
        return await self.run(self._finish, job, JobStatus.SUCCEEDED, job.error)

    async def fail(self, job: Job, error: str) -> Job:
        """End a job that cannot go on."""
        return await self.run(self._finish, job, JobStatus.FAILED, error)

    async def release(self, job: Job) -> None:
        """Give an unfinished job back to the queue (on shutdown)."""
        await self.run(self._release, job)

    async def _release(self, uow: UnitOfWork, job: Job) -> None:
        async with uow:
            await uow.jobs.release(job.id, self.worker)
            await uow.commit()

    async def _advance(self, uow: UnitOfWork, job: Job, batch: tuple[TaskId, ...]) -> Job:
        async with uow:
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

    async def _record_failure(self, uow: UnitOfWork, job: Job, failure: str) -> Job:
        async with uow:
            advanced = await uow.jobs.advance(
                job.id, self.worker, job.processed, 1, (), self.settings.lease_s, failure=failure
            )
            if advanced is None:
                return _still_held(job, await uow.jobs.held(job.id, self.worker))
            await uow.commit()
        return advanced

    async def _finish(self, uow: UnitOfWork, job: Job, status: JobStatus, error: str | None) -> Job:
        async with uow:
            finished = await uow.jobs.finish(job.id, self.worker, status, error)
            if finished is None:
                raise LeaseLostError(f"job {job.id}: lease lost")
            await uow.commit()
        if finished.finished_at is not None:
            seconds = (finished.finished_at - finished.created_at).total_seconds()
            self.run.telemetry.job_finished(str(finished.status), max(0.0, seconds))
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
