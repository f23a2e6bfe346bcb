"""Bodies of the background-processing routes."""

from datetime import datetime
from typing import Annotated

import msgspec

from domain.job import MAX_JOB_TASKS
from interfaces.http.schemas.common import AttributesResponse, Int64, StrictRequest


class ProcessRequest(StrictRequest):
    """The tasks to mark processed; repeats count once."""

    task_ids: Annotated[list[Int64], msgspec.Meta(min_length=1, max_length=MAX_JOB_TASKS)]


class JobResponse(AttributesResponse):
    """A job as clients see it (its lease stays inside)."""

    id: int
    status: str
    total: int
    processed: int
    skipped: list[int]
    error: str | None
    created_at: datetime
    finished_at: datetime | None
