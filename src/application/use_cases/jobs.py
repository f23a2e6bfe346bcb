"""Accepting and reading background jobs."""

from collections.abc import Sequence

from domain.errors import NotFoundError
from domain.ids import JobId, UserId
from domain.job import Job, NewJob
from domain.unit_of_work import UnitOfWork

JOB_NOT_FOUND = "job not found"


async def submit_processing(uow: UnitOfWork, owner_id: UserId, task_ids: Sequence[int]) -> Job:
    """Enqueue a job that marks the listed tasks processed. It is stored before this
    returns, in its own transaction: once accepted it survives any crash.
    """
    draft = NewJob.listing(owner_id, task_ids)
    async with uow:
        job = await uow.jobs.add(draft)
        await uow.commit()
    return job


async def get_job(uow: UnitOfWork, owner_id: UserId, job_id: JobId) -> Job:
    """One of the caller's jobs."""
    async with uow.reading():
        job = await uow.jobs.get(owner_id, job_id)
    if job is None:
        raise NotFoundError(JOB_NOT_FOUND)
    return job
