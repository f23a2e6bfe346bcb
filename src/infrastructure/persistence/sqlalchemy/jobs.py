"""Jobs stored with Core statements: every lease change is one conditional UPDATE."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    and_,
    cast,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.ids import JobId, TaskId, UserId
from domain.job import Job, JobStatus, NewJob, claimed, first_state, handed_back, requeued
from domain.paging import Page, PageWindow
from infrastructure.persistence.sqlalchemy.execution import execute
from infrastructure.persistence.sqlalchemy.mapping import to_job
from infrastructure.persistence.sqlalchemy.paging import fetch_page
from infrastructure.persistence.sqlalchemy.records import jobs, users

# SQLite's JSON path for "after the last element" (3.31+), and how many values one
# json_insert call may append: SQLite caps a function at 127 arguments by default.
_SQLITE_ARRAY_END = "$[#]"
_SQLITE_VALUES_PER_CALL = 60


_UNFINISHED = (JobStatus.QUEUED.value, JobStatus.RUNNING.value)
_FINISHED = (JobStatus.SUCCEEDED.value, JobStatus.FAILED.value)


def _claimable(now: datetime, table: FromClause = jobs) -> ColumnElement[bool]:
    return or_(
        table.c.status == JobStatus.QUEUED.value,
        and_(table.c.status == JobStatus.RUNNING.value, table.c.lease_expires_at < now),
    )


def _next_claim(now: datetime) -> Select[tuple[int]]:
    """The id of the job to claim: among claimable jobs, the oldest of the owner served
    least recently (never first). The owner's latest claim is one index probe per
    candidate; the per-user cap keeps the candidates few.
    """
    candidate = jobs.alias("candidate")
    history = jobs.alias("history")
    # max(claimed_at), written so that SQLite too reads one index entry, not the
    # owner's whole history.
    served = (
        select(history.c.claimed_at)
        .where(history.c.user_id == candidate.c.user_id, history.c.claimed_at.is_not(None))
        .order_by(history.c.claimed_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(candidate.c.id)
        .where(_claimable(now, candidate))
        .order_by(served.asc().nulls_first(), candidate.c.id)
        .limit(1)
    )


def _held_by(job_id: JobId, worker: str) -> list[ColumnElement[bool]]:
    return [
        jobs.c.id == job_id,
        jobs.c.worker == worker,
        jobs.c.status == JobStatus.RUNNING.value,
    ]


def _appended(ids: Sequence[TaskId], *, dialect: str) -> ColumnElement[Any]:
    """``skipped`` with ``ids`` appended, computed in the row itself (no read-modify-write)."""
    if dialect == "postgresql":
        return jobs.c.skipped.op("||")(cast(literal(list(ids), JSONB()), JSONB()))
    appended: ColumnElement[Any] = jobs.c.skipped
    for start in range(0, len(ids), _SQLITE_VALUES_PER_CALL):
        pairs: list[Any] = []
        for task_id in ids[start : start + _SQLITE_VALUES_PER_CALL]:
            pairs += [_SQLITE_ARRAY_END, int(task_id)]
        appended = func.json_insert(appended, *pairs)
    return appended


class SqlAlchemyJobRepository:
    """``JobRepository`` on an ``AsyncConnection``: the queue and its leases."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    def _dialect(self) -> str:
        return self._connection.dialect.name

    async def add(self, job: NewJob) -> Job:
        now = datetime.now(UTC)
        statement = (
            insert(jobs)
            .values(
                user_id=job.owner_id,
                task_ids=list(job.task_ids),
                **first_state(now),
                updated_at=now,
            )
            .returning(*jobs.c)
        )
        return to_job((await execute(self._connection, statement)).mappings().one())

    async def get(self, owner_id: UserId, job_id: JobId) -> Job | None:
        statement = select(jobs).where(jobs.c.id == job_id, jobs.c.user_id == owner_id)
        return await self._one_or_none(statement)

    async def count_unfinished(self, owner_id: UserId) -> int:
        if self._dialect() == "postgresql":
            # Submissions of one owner take turns on the owner's row until commit, so
            # the count below sees every earlier one. A no-op UPDATE rather than FOR
            # UPDATE: under REPEATABLE READ a snapshot older than a concurrent
            # submission then fails with 40001 (retried) instead of counting stale. The
            # key is unchanged, so foreign-key checks (KEY SHARE) are not blocked.
            # SQLite serialises writers itself; a stale reader fails to write, retried.
            lock = update(users).where(users.c.id == owner_id).values(id=users.c.id)
            await execute(self._connection, lock)
        count = (
            select(func.count())
            .select_from(jobs)
            .where(jobs.c.user_id == owner_id, jobs.c.status.in_(_UNFINISHED))
        )
        return int((await execute(self._connection, count)).scalar_one())

    async def claim(self, worker: str, lease_s: float) -> Job | None:
        now = datetime.now(UTC)
        chosen = _next_claim(now)
        if self._dialect() == "postgresql":
            # Concurrent claimers pass over each other's rows instead of queueing on them.
            chosen = chosen.with_for_update(skip_locked=True)
        statement = (
            update(jobs)
            # Checked again in the UPDATE: under READ COMMITTED the row may have been
            # claimed and committed by another worker since the subquery's snapshot.
            .where(jobs.c.id == chosen.scalar_subquery(), _claimable(now))
            .values(
                **claimed(jobs.c.attempts),
                worker=worker,
                lease_expires_at=now + timedelta(seconds=lease_s),
                claimed_at=now,
                updated_at=now,
            )
            .returning(*jobs.c)
        )
        return await self._one_or_none(statement)

    async def held(self, job_id: JobId, worker: str) -> Job | None:
        return await self._one_or_none(select(jobs).where(*_held_by(job_id, worker)))

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
        now = datetime.now(UTC)
        values: dict[str, Any] = {
            "processed": jobs.c.processed + handled,
            "lease_expires_at": now + timedelta(seconds=lease_s),
            "updated_at": now,
        }
        if skipped:
            values["skipped"] = _appended(skipped, dialect=self._dialect())
        if failure is not None:
            # NULL || '; ' is NULL, so the first failure comes without a separator.
            values["error"] = func.coalesce(jobs.c.error + "; ", "") + failure
        statement = (
            update(jobs)
            .where(*_held_by(job_id, worker), jobs.c.processed == expected)
            .values(**values)
            .returning(*jobs.c)
        )
        return await self._one_or_none(statement)

    async def finish(
        self, job_id: JobId, worker: str, status: JobStatus, error: str | None = None
    ) -> Job | None:
        now = datetime.now(UTC)
        statement = (
            update(jobs)
            .where(*_held_by(job_id, worker))
            .values(
                status=JobStatus(status).value,
                error=error,
                worker=None,
                lease_expires_at=None,
                finished_at=now,
                updated_at=now,
            )
            .returning(*jobs.c)
        )
        return await self._one_or_none(statement)

    async def release(self, job_id: JobId, worker: str) -> bool:
        statement = (
            update(jobs)
            .where(*_held_by(job_id, worker))
            .values(
                **handed_back(jobs.c.attempts),
                worker=None,
                lease_expires_at=None,
                updated_at=datetime.now(UTC),
            )
            .returning(jobs.c.id)
        )
        return (await execute(self._connection, statement)).scalar_one_or_none() is not None

    async def find(self, job_id: JobId) -> Job | None:
        return await self._one_or_none(select(jobs).where(jobs.c.id == job_id))

    async def list(self, status: JobStatus | None, window: PageWindow) -> Page[Job]:
        statement = select(jobs).order_by(jobs.c.id.desc())
        if status is not None:
            statement = statement.where(jobs.c.status == JobStatus(status).value)
        return await fetch_page(self._connection, statement, window, to_job)

    async def requeue(self, job_id: JobId) -> Job | None:
        statement = (
            update(jobs)
            # Conditional on the status, so a concurrent retry requeues it once.
            .where(jobs.c.id == job_id, jobs.c.status == JobStatus.FAILED.value)
            .values(
                **requeued(),
                worker=None,
                lease_expires_at=None,
                updated_at=datetime.now(UTC),
            )
            .returning(*jobs.c)
        )
        return await self._one_or_none(statement)

    async def purge_finished(self, before: datetime, limit: int) -> int:
        oldest = (
            select(jobs.c.id)
            .where(jobs.c.finished_at < before, jobs.c.status.in_(_FINISHED))
            .order_by(jobs.c.finished_at)
            .limit(limit)
        )
        if self._dialect() == "postgresql":
            # Two workers sweeping at once split the rows instead of waiting on each other.
            oldest = oldest.with_for_update(skip_locked=True)
        statement = delete(jobs).where(jobs.c.id.in_(oldest.scalar_subquery()))
        result = await execute(self._connection, statement)
        return int(getattr(result, "rowcount", 0))

    async def _one_or_none(self, statement: Any) -> Job | None:
        row = (await execute(self._connection, statement)).mappings().one_or_none()
        return None if row is None else to_job(row)
