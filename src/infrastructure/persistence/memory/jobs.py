"""In-memory jobs: the queue and its leases, with the SQL store's semantics."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from domain.ids import JobId, TaskId, UserId
from domain.job import Job, JobStatus, NewJob, claimed, first_state, handed_back, requeued
from domain.paging import Page, PageWindow
from infrastructure.persistence.memory.store import StoredJob, utc_now
from infrastructure.persistence.memory.transaction import InMemoryTransaction

_UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)
_FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED)


def _claimable(row: StoredJob, now: datetime) -> bool:
    if row.job.status is JobStatus.QUEUED:
        return True
    expires = row.lease_expires_at
    return row.job.status is JobStatus.RUNNING and expires is not None and expires < now


class InMemoryJobRepository:
    """Implements ``domain.repositories.JobRepository``. Units of work on one store run
    one at a time, so a claim is exclusive without any locking of its own.
    """

    def __init__(self, transaction: InMemoryTransaction) -> None:
        self._tx = transaction

    async def add(self, job: NewJob) -> Job:
        self._tx.require_owner(job.owner_id)
        store = self._tx.store
        stored = Job(
            id=store.next_job_id(),
            owner_id=job.owner_id,
            task_ids=tuple(job.task_ids),
            **first_state(utc_now()),
        )
        self._tx.put(store.jobs, stored.id, StoredJob(stored))
        return stored

    async def get(self, owner_id: UserId, job_id: JobId) -> Job | None:
        row = self._tx.store.jobs.get(job_id)
        return row.job if row is not None and row.job.owner_id == owner_id else None

    async def count_unfinished(self, owner_id: UserId) -> int:
        rows = self._tx.store.jobs.values()
        return sum(row.job.owner_id == owner_id and row.job.status in _UNFINISHED for row in rows)

    async def claim(self, worker: str, lease_s: float) -> Job | None:
        store = self._tx.store
        now = utc_now()
        claimable = [row for row in store.jobs.values() if _claimable(row, now)]
        if not claimable:
            return None
        served: dict[UserId, int] = {}
        for other in store.jobs.values():
            owner, last_claim = other.job.owner_id, other.claimed
            if last_claim is not None and served.get(owner, 0) < last_claim:
                served[owner] = last_claim

        def fairness(candidate: StoredJob) -> tuple[int, int]:
            # Never-served owners (0) first, then the least recently served; oldest job first.
            return (served.get(candidate.job.owner_id, 0), candidate.job.id)

        row = min(claimable, key=fairness)
        job = replace(row.job, **claimed(row.job.attempts))
        lease = now + timedelta(seconds=lease_s)
        self._tx.put(store.jobs, job.id, StoredJob(job, worker, lease, store.next_claim()))
        return job

    async def held(self, job_id: JobId, worker: str) -> Job | None:
        row = self._held(job_id, worker)
        return None if row is None else row.job

    async def advance(
        self,
        job_id: JobId,
        worker: str,
        expected: int,
        handled: int,
        skipped: Sequence[TaskId],
        lease_s: float,
        failure: str | None = None,
    ) -> Job | None:
        row = self._held(job_id, worker)
        if row is None or row.job.processed != expected:
            return None
        current = row.job
        error = current.error
        if failure is not None:
            error = failure if error is None else f"{error}; {failure}"
        job = replace(
            current,
            processed=current.processed + handled,
            skipped=current.skipped + tuple(skipped),
            error=error,
        )
        lease = utc_now() + timedelta(seconds=lease_s)
        self._tx.put(self._tx.store.jobs, job_id, replace(row, job=job, lease_expires_at=lease))
        return job

    async def finish(
        self, job_id: JobId, worker: str, status: JobStatus, error: str | None = None
    ) -> Job | None:
        row = self._held(job_id, worker)
        if row is None:
            return None
        job = replace(row.job, status=JobStatus(status), error=error, finished_at=utc_now())
        self._tx.put(self._tx.store.jobs, job_id, StoredJob(job, claimed=row.claimed))
        return job

    async def release(self, job_id: JobId, worker: str) -> bool:
        row = self._held(job_id, worker)
        if row is None:
            return False
        job = replace(row.job, **handed_back(row.job.attempts))
        self._tx.put(self._tx.store.jobs, job_id, StoredJob(job, claimed=row.claimed))
        return True

    async def find(self, job_id: JobId) -> Job | None:
        row = self._tx.store.jobs.get(job_id)
        return None if row is None else row.job

    async def list(self, status: JobStatus | None, window: PageWindow) -> Page[Job]:
        rows = self._tx.store.jobs.values()
        chosen = [row.job for row in rows if status is None or row.job.status is status]
        chosen.sort(key=lambda job: job.id, reverse=True)
        items = chosen[window.offset : window.offset + window.limit]
        return Page(items, len(chosen), window.limit, window.offset)

    async def requeue(self, job_id: JobId) -> Job | None:
        row = self._tx.store.jobs.get(job_id)
        if row is None or row.job.status is not JobStatus.FAILED:
            return None
        job = replace(row.job, **requeued())
        self._tx.put(self._tx.store.jobs, job_id, StoredJob(job, claimed=row.claimed))
        return job

    async def purge_finished(self, before: datetime, limit: int) -> int:
        store = self._tx.store
        old = sorted(
            (row.job.finished_at, job_id)
            for job_id, row in store.jobs.items()
            if row.job.status in _FINISHED
            and row.job.finished_at is not None
            and row.job.finished_at < before
        )[:limit]
        for _finished_at, job_id in old:
            self._tx.remove(store.jobs, job_id)
        return len(old)

    def _held(self, job_id: JobId, worker: str) -> StoredJob | None:
        """The job's row if ``worker`` holds it (running under its name), expired or not,
        as the SQL predicate has it: until someone else claims it, the lease is still its.
        """
        row = self._tx.store.jobs.get(job_id)
        if row is None or row.worker != worker or row.job.status is not JobStatus.RUNNING:
            return None
        return row
