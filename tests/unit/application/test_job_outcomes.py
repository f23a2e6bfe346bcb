"""Unknown commit outcomes: a batch whose COMMIT landed but was reported lost is counted
once, and one that did not land is done again, never twice.
"""

import asyncio
from collections.abc import Sequence
from typing import cast

import pytest

from application.jobs.processing import JobProcessor, LeaseLostError
from application.jobs.settings import JobSettings
from application.jobs.worker import JobWorker
from application.retry import RetryPolicy
from application.runner import UseCaseRunner
from domain.errors import UnavailableError
from domain.ids import TaskId, UserId
from domain.job import JobStatus
from domain.repositories import TaskRepository
from domain.task import Task
from domain.user import User
from infrastructure.persistence.memory import (
    InMemoryStore,
    InMemoryTaskRepository,
    InMemoryUnitOfWork,
)
from tests.unit.application.test_job_processing import (
    add_tasks,
    enqueue,
    processor,
    stored_job,
    stored_task,
)

pytestmark = pytest.mark.asyncio

LOST = "the database connection was lost while committing; the change may not be stored"


class _Counted:
    """The store's tasks, counting how many batches were marked."""

    def __init__(self, tasks: InMemoryTaskRepository, calls: list[int]) -> None:
        self._tasks = tasks
        self._calls = calls

    async def mark_processed(self, owner_id: UserId, task_ids: Sequence[TaskId]) -> set[TaskId]:
        self._calls.append(len(task_ids))
        return await self._tasks.mark_processed(owner_id, task_ids)


class _LosingCommits(InMemoryUnitOfWork):
    """Commit number ``lose_at`` (counted over all units) reports a lost connection:
    after committing when ``lands``, instead of committing otherwise.
    """

    def __init__(self, store: InMemoryStore, state: dict[str, int], lands: bool) -> None:
        super().__init__(store)
        self._state = state
        self._lands = lands

    async def commit(self) -> None:
        self._state["commits"] += 1
        if self._state["commits"] != self._state["lose_at"]:
            await super().commit()
            return
        if self._lands:
            await super().commit()
        raise UnavailableError(LOST)


def losing_worker(
    store: InMemoryStore, lose_at: int, *, lands: bool, marks: list[int]
) -> JobWorker:
    state = {"commits": 0, "lose_at": lose_at}

    def factory() -> InMemoryUnitOfWork:
        uow = _LosingCommits(store, state, lands)
        uow.tasks = cast(TaskRepository, _Counted(cast(InMemoryTaskRepository, uow.tasks), marks))
        return uow

    settings = JobSettings(batch_size=2, poll_interval_s=0.001)
    return JobWorker(JobProcessor(UseCaseRunner(factory, RetryPolicy(attempts=1)), "w", settings))


async def run_job_losing_commit(
    store: InMemoryStore, owner: User, bob: User, lose_at: int, *, lands: bool
) -> tuple[list[Task], TaskId, list[int]]:
    tasks = await add_tasks(store, owner, 5)
    (foreign,) = await add_tasks(store, bob, 1)
    listed = [tasks[0].id, tasks[1].id, tasks[2].id, foreign.id, tasks[3].id, tasks[4].id]
    job = await enqueue(store, owner, listed)
    marks: list[int] = []
    worker = losing_worker(store, lose_at, lands=lands, marks=marks)
    claimed = await worker.processor.claim()
    assert claimed is not None
    assert claimed.id == job.id
    async with asyncio.timeout(5):
        await worker.work(claimed, asyncio.Event())
    done = await stored_job(store, owner, job.id)
    assert (done.status, done.error) == (JobStatus.SUCCEEDED, None)
    assert (done.processed, done.total) == (6, 6)
    assert done.skipped == (foreign.id,)
    for task in tasks:
        marked = await stored_task(store, owner, task)
        # Marked exactly once: one version bump.
        assert (marked.processed, marked.version) == (True, 2), marked
    assert await stored_task(store, bob, foreign) == foreign
    return tasks, foreign.id, marks


@pytest.mark.parametrize("batch_commit", [1, 2, 3])
async def test_a_batch_whose_commit_landed_but_was_reported_lost_counts_once(
    store: InMemoryStore, alice: User, bob: User, batch_commit: int
) -> None:
    # Commit 1 is the claim's; the job's three batches are commits 2 to 4.
    *_, marks = await run_job_losing_commit(store, alice, bob, 1 + batch_commit, lands=True)
    # The worker re-read the job after the lost commit: no batch was marked again.
    assert marks == [2, 2, 2]


async def test_a_batch_whose_commit_did_not_land_is_done_again(
    store: InMemoryStore, alice: User, bob: User
) -> None:
    *_, marks = await run_job_losing_commit(store, alice, bob, 3, lands=False)
    assert marks == [2, 2, 2, 2]


async def test_a_step_from_a_stale_count_goes_on_from_the_stored_one(
    store: InMemoryStore, alice: User
) -> None:
    tasks = await add_tasks(store, alice, 4)
    await enqueue(store, alice, [task.id for task in tasks])
    worker = processor(store, settings=JobSettings(batch_size=2))
    stale = await worker.claim()
    assert stale is not None
    current = await worker.step(stale)
    # As after a lost commit that landed: the same batch offered again.
    again = await worker.step(stale)
    assert again == current
    assert again.processed == 2
    assert [(await stored_task(store, alice, task)).version for task in tasks] == [2, 2, 1, 1]
    done = await worker.step(again)
    assert done.processed == 4
    assert [(await stored_task(store, alice, task)).version for task in tasks] == [2, 2, 2, 2]


async def test_reload_reads_the_stored_job_and_fails_once_the_lease_is_lost(
    store: InMemoryStore, alice: User
) -> None:
    tasks = await add_tasks(store, alice, 2)
    await enqueue(store, alice, [task.id for task in tasks])
    worker = processor(store, settings=JobSettings(batch_size=1, lease_s=0.02))
    stale = await worker.claim()
    assert stale is not None
    current = await worker.step(stale)
    assert await worker.reload(stale) == current
    await asyncio.sleep(0.06)
    assert await processor(store, "other").claim() is not None
    with pytest.raises(LeaseLostError):
        await worker.reload(stale)
