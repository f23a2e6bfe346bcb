"""Accepting and reading background jobs."""

from collections.abc import Sequence

from domain.errors import NotFoundError, TooManyRequestsError
from domain.ids import JobId, UserId
from domain.job import Job, NewJob
from domain.unit_of_work import UnitOfWork

JOB_NOT_FOUND = "job not found"
# A user at the cap waits for one of their jobs to end; with fair claims that is a
# few jobs' time, whoever else is queueing.
QUEUE_FULL_RETRY_AFTER_S = 5


async def submit_processing(
    uow: UnitOfWork,
    owner_id: UserId,
    task_ids: Sequence[int],
    max_queued: int,
) -> Job:
    """Enqueue a job that marks the listed tasks processed. It is stored before this
    returns, in its own transaction: once accepted it survives any crash. A user holds
    at most ``max_queued`` queued or running jobs: beyond, ``TooManyRequestsError``.
    """
    draft = NewJob.listing(owner_id, task_ids)
    async with uow:
        job = await _enqueue(uow, draft, max_queued)
        await uow.commit()
    return job


async def enqueue(
    uow: UnitOfWork, owner_id: UserId, task_ids: Sequence[int], max_queued: int
) -> Job:
    """``submit_processing``'s writes inside an open unit of work; the caller commits."""
    return await _enqueue(uow, NewJob.listing(owner_id, task_ids), max_queued)


async def _enqueue(uow: UnitOfWork, draft: NewJob, max_queued: int) -> Job:
    if await uow.jobs.count_unfinished(draft.owner_id) >= max_queued:
        raise TooManyRequestsError(
            f"at most {max_queued} jobs may be queued or running at once; "
            "retry once one has finished",
            QUEUE_FULL_RETRY_AFTER_S,
        )
    return await uow.jobs.add(draft)


async def get_job(uow: UnitOfWork, owner_id: UserId, job_id: JobId) -> Job:
    """One of the caller's jobs."""
    async with uow.reading():
        job = await uow.jobs.get(owner_id, job_id)
    if job is None:
        raise NotFoundError(JOB_NOT_FOUND)
    return job
