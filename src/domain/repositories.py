"""Repository ports, one per aggregate. Every task and category query is scoped by owner.

Implementations return entities or ``None``, never commit, and raise ``ConflictError``
when a uniqueness rule would break.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.category import Category, CategoryChanges, NewCategory
from domain.idempotency import RememberedResponse, Remembering
from domain.ids import CategoryId, JobId, TaskId, UserId
from domain.job import Job, JobStatus, NewJob
from domain.paging import Page, PageWindow
from domain.task import NewTask, Task, TaskChanges
from domain.task_query import TaskQuery
from domain.user import NewUser, User


class UserRepository(Protocol):
    """Registered users, unique by lower-cased e-mail."""

    async def add(self, user: NewUser) -> User:
        """Store a new user; ``ConflictError`` when the e-mail is taken."""
        ...

    async def get(self, user_id: UserId) -> User | None:
        """The user with this id."""
        ...

    async def get_by_email(self, email: str) -> User | None:
        """The user with this (already normalised) e-mail."""
        ...

    async def list(self, window: PageWindow) -> Page[User]:
        """Every user, in sign-up order (by creation time, then id); by offset only."""
        ...

    async def disable(self, user_id: UserId) -> User | None:
        """Set ``disabled_at`` to now unless it is set already (the first time is kept);
        the user as stored after, ``None`` when there is no such user.
        """
        ...


class CategoryRepository(Protocol):
    """A user's categories, unique per user by name ignoring case."""

    async def add(self, category: NewCategory) -> Category:
        """Store a new category; ``ConflictError`` when the owner has that name."""
        ...

    async def get(self, owner_id: UserId, category_id: CategoryId) -> Category | None:
        """The owner's category with this id."""
        ...

    async def list(self, owner_id: UserId, window: PageWindow) -> Page[Category]:
        """The owner's categories in creation order (by id): by offset, or after
        ``window.after`` (by the ``Position`` rule, its value ``None``).
        """
        ...

    async def update(
        self, owner_id: UserId, category_id: CategoryId, changes: CategoryChanges
    ) -> Category | None:
        """Apply ``changes`` (at least one field); ``None`` when there is no such category."""
        ...

    async def delete(self, owner_id: UserId, category_id: CategoryId) -> bool:
        """Remove the category; whether it existed."""
        ...


class TaskRepository(Protocol):
    """A user's tasks. Writes bump ``version`` atomically in the store."""

    async def add(self, task: NewTask) -> Task:
        """Store a new task at version 1."""
        ...

    async def get(self, owner_id: UserId, task_id: TaskId) -> Task | None:
        """The owner's task with this id."""
        ...

    async def list(self, query: TaskQuery) -> Page[Task]:
        """One page of the owner's tasks matching ``query``, in its order: by offset, or
        after ``query.window.after`` (by the ``Position`` rule); ``total`` counts every match.
        """
        ...

    async def update(
        self,
        owner_id: UserId,
        task_id: TaskId,
        changes: TaskChanges,
        expected_version: int | None = None,
    ) -> Task | None:
        """Apply ``changes`` and bump the version, only if the version is ``expected_version``
        (when given). ``None`` when no task matched: absent, or at another version.
        """
        ...

    async def delete(
        self, owner_id: UserId, task_id: TaskId, expected_version: int | None = None
    ) -> bool:
        """Remove the task if it exists (at ``expected_version`` when given)."""
        ...

    async def detach_category(self, owner_id: UserId, category_id: CategoryId) -> int:
        """Clear ``category_id`` on the owner's tasks in that category, bumping their
        versions; how many changed.
        """
        ...

    async def mark_processed(self, owner_id: UserId, task_ids: Sequence[TaskId]) -> set[TaskId]:
        """Set ``processed`` and ``processed_at`` (bumping versions) on those of
        ``task_ids`` that are the owner's tasks; the ids that were.
        """
        ...


class JobRepository(Protocol):
    """Durable jobs and the queue they form. A job is leased to one worker at a time;
    every write on behalf of a worker applies only while that worker holds the lease.

    Progress moves only from the count the worker last saw: ``advance`` names the
    ``processed`` it expects and changes nothing when the stored count differs, so a
    batch whose commit outcome was unknown (and did land) is never counted twice.
    """

    async def add(self, job: NewJob) -> Job:
        """Enqueue a new job (status queued, nothing processed)."""
        ...

    async def get(self, owner_id: UserId, job_id: JobId) -> Job | None:
        """The owner's job with this id."""
        ...

    async def count_unfinished(self, owner_id: UserId) -> int:
        """How many of the owner's jobs are queued or running. Concurrent calls for one
        owner take turns until the calling transaction ends (or fail with a retryable
        error), so a submission that counts and then adds sees every other one's job.
        """
        ...

    async def claim(self, worker: str, lease_s: float) -> Job | None:
        """Lease a job that is queued, or running under an expired lease, to ``worker``
        for ``lease_s`` seconds and mark it running; ``None`` when there is none.

        Fair across owners: the job is the oldest of the owner whose latest claim is the
        least recent (owners never served first). Concurrent claims never lease one job
        twice.
        """
        ...

    async def held(self, job_id: JobId, worker: str) -> Job | None:
        """The job as stored, if ``worker`` holds it (running under its name)."""
        ...

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
        """Move ``processed`` from ``expected`` to ``expected + handled``, append
        ``skipped``, record a task's ``failure`` (if any) and renew the lease; ``None``
        (and nothing changed) if ``worker`` lost the lease or ``processed`` is not
        ``expected``.
        """
        ...

    async def finish(
        self, job_id: JobId, worker: str, status: JobStatus, error: str | None = None
    ) -> Job | None:
        """End the job (succeeded or failed) if ``worker`` holds it."""
        ...

    async def release(self, job_id: JobId, worker: str) -> bool:
        """Hand a job back to the queue (queued, unleased) if ``worker`` holds it."""
        ...

    async def find(self, job_id: JobId) -> Job | None:
        """The job with this id, whoever owns it (administration)."""
        ...

    async def list(self, status: JobStatus | None, window: PageWindow) -> Page[Job]:
        """Every owner's jobs (those in ``status`` when given), newest first (by id); by
        offset only.
        """
        ...

    async def requeue(self, job_id: JobId) -> Job | None:
        """Put a **failed** job back in the queue (see ``domain.job.requeued``); ``None``,
        and nothing changed, when no failed job has this id.
        """
        ...

    async def purge_finished(self, before: datetime, limit: int) -> int:
        """Delete up to ``limit`` finished (succeeded or failed) jobs that finished
        before ``before``; how many went.
        """
        ...


class RememberedResponses(Protocol):
    """Responses kept per (user, idempotency key), unique per user.

    ``remember_first`` is the only write, and it never waits for another unit of work:
    a key stored by a unit still open is reported as in progress at once.
    """

    async def remember_first(self, response: RememberedResponse) -> Remembering:
        """Store ``response`` unless its owner's key is stored already, in one round trip
        where the store allows: ``STORED``; else ``IN_PROGRESS`` when the unit of work
        that stored it has not ended, ``TAKEN`` when it committed.
        """
        ...

    async def find(self, owner_id: UserId, key: str) -> RememberedResponse | None:
        """The response remembered under the owner's key."""
        ...

    async def purge_expired(self, before: datetime, limit: int) -> int:
        """Delete up to ``limit`` responses created before ``before``, oldest first;
        how many went.
        """
        ...
