"""The shared state of one in-memory "database": tables of frozen entities, id sequences."""

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime

from domain.category import Category
from domain.idempotency import RememberedResponse
from domain.ids import CategoryId, JobId, TaskId, UserId
from domain.job import Job
from domain.task import Task
from domain.user import User


@dataclass(frozen=True, slots=True)
class StoredJob:
    """A job row: the entity plus its lease and latest claim, which the domain never sees."""

    job: Job
    worker: str | None = None
    lease_expires_at: datetime | None = None
    # The store's claim counter when it was last claimed: orders claims like the SQL
    # store's ``claimed_at``, without ties between claims in the same microsecond.
    claimed: int | None = None


@dataclass(eq=False)
class InMemoryStore:
    """Tables keyed by id. Values are frozen dataclasses, so a reader can never alias a
    later write; only units of work (one at a time, under ``lock``) change the tables.
    """

    users: dict[UserId, User] = field(default_factory=dict)
    categories: dict[CategoryId, Category] = field(default_factory=dict)
    tasks: dict[TaskId, Task] = field(default_factory=dict)
    jobs: dict[JobId, StoredJob] = field(default_factory=dict)
    remembered: dict[tuple[UserId, str], RememberedResponse] = field(default_factory=dict)
    # Like database sequences: never reused, not rolled back.
    last_category_id: int = 0
    last_task_id: int = 0
    last_job_id: int = 0
    last_claim: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    holder: "asyncio.Task[object] | None" = None

    def next_category_id(self) -> CategoryId:
        self.last_category_id += 1
        return CategoryId(self.last_category_id)

    def next_task_id(self) -> TaskId:
        self.last_task_id += 1
        return TaskId(self.last_task_id)

    def next_job_id(self) -> JobId:
        self.last_job_id += 1
        return JobId(self.last_job_id)

    def next_claim(self) -> int:
        self.last_claim += 1
        return self.last_claim


def utc_now() -> datetime:
    """The store's clock: timezone-aware UTC, like a ``timestamptz`` default."""
    return datetime.now(UTC)
