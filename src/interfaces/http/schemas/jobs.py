"""Bodies of the background-processing routes."""

from datetime import datetime
from typing import Annotated

import msgspec

from domain.job import MAX_JOB_TASKS, Job
from interfaces.http.schemas.common import Int64, StrictRequest


class ProcessRequest(StrictRequest):
    """The tasks to mark processed; repeats count once."""

    task_ids: Annotated[list[Int64], msgspec.Meta(min_length=1, max_length=MAX_JOB_TASKS)]


class JobResponse(msgspec.Struct):
    """A job as clients see it (its lease stays inside)."""

    id: int
    status: str
    total: int
    processed: int
    skipped: list[int]
    error: str | None
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, job: Job) -> "JobResponse":
        return cls(
            job.id,
            job.status.value,
            job.total,
            job.processed,
            list(job.skipped),
            job.error,
            job.created_at,
            job.finished_at,
        )
