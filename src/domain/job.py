"""The Job aggregate: a durable request to process some of a user's tasks.

``processed`` counts the listed ids handled so far, skipped ones included, so a
finished job has ``processed == total``; ``skipped`` names the ids that were not the
owner's tasks (or did not exist) and were left untouched.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Generic, TypedDict, TypeVar

from domain.counting import Counter
from domain.errors import InvalidInputError
from domain.ids import JobId, TaskId, UserId, is_storable_id

MAX_JOB_TASKS = 1000

N = TypeVar("N")


class JobStatus(StrEnum):
    """Where a job is in its life."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class NewJob:
    """A job to enqueue: the distinct task ids, in the order first listed."""

    owner_id: UserId
    task_ids: tuple[TaskId, ...]

    @classmethod
    def listing(cls, owner_id: UserId, task_ids: Sequence[int]) -> "NewJob":
        """Validate the list (1..1000 ids) and drop repeats, keeping first positions."""
        if not 1 <= len(task_ids) <= MAX_JOB_TASKS:
            raise InvalidInputError.for_field("task_ids", f"must list 1 to {MAX_JOB_TASKS} ids")
        return cls(owner_id, tuple(TaskId(i) for i in dict.fromkeys(task_ids)))


@dataclass(frozen=True, slots=True)
class Job:
    """A stored job."""

    id: JobId
    owner_id: UserId
    status: JobStatus
    task_ids: tuple[TaskId, ...]
    processed: int
    skipped: tuple[TaskId, ...]
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    # How many times a worker has claimed it: a job that keeps killing its workers
    # must end some day.
    attempts: int = 0

    @property
    def total(self) -> int:
        """How many distinct ids the job lists."""
        return len(self.task_ids)

    @property
    def remaining(self) -> tuple[TaskId, ...]:
        """The ids not yet handled, in order."""
        return self.task_ids[self.processed :]


def storable_task_ids(task_ids: Sequence[TaskId]) -> list[TaskId]:
    """The ids that could name a stored task at all; others are skipped unread."""
    return [task_id for task_id in task_ids if is_storable_id(task_id)]


class FirstState(TypedDict):
    """What a new job is besides its owner and task ids."""

    status: JobStatus
    processed: int
    skipped: tuple[TaskId, ...]
    error: str | None
    attempts: int
    created_at: datetime
    finished_at: datetime | None


def first_state(now: datetime) -> FirstState:
    """A job starts queued, with nothing processed or skipped, never claimed."""
    return FirstState(
        status=JobStatus.QUEUED,
        processed=0,
        skipped=(),
        error=None,
        attempts=0,
        created_at=now,
        finished_at=None,
    )


class Handover(TypedDict, Generic[N]):
    """A job's status and attempts as it changes hands."""

    status: JobStatus
    attempts: N


def claimed(attempts: Counter[N]) -> Handover[N]:
    """A claimed job runs, and the claim counts as one more attempt."""
    return Handover(status=JobStatus.RUNNING, attempts=attempts + 1)


def handed_back(attempts: Counter[N]) -> Handover[N]:
    """A job handed back is queued again; a hand-back is no failed attempt, so the
    claim's attempt is taken back and does not count towards giving up.
    """
    return Handover(status=JobStatus.QUEUED, attempts=attempts - 1)


class Requeue(TypedDict):
    """What a retried job becomes."""

    status: JobStatus
    attempts: int
    error: str | None
    finished_at: datetime | None


def requeued() -> Requeue:
    """A failed job retried by an administrator is queued again as if never claimed:
    its attempts start again from 0 and its error and finish time are cleared (the
    error describes the run that failed; the retry command reports it). ``processed``
    and ``skipped`` are kept, so the new run resumes after the last committed batch
    and no task is processed twice.
    """
    return Requeue(status=JobStatus.QUEUED, attempts=0, error=None, finished_at=None)
