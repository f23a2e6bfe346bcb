"""Administration on every backend: users listed and disabled, jobs listed and retried."""

import uuid
from datetime import timedelta

import pytest

from domain.ids import JobId, UserId
from domain.job import Job, JobStatus
from domain.paging import PageWindow
from domain.user import User
from tests.behaviour.support import UowFactory, add_user
from tests.behaviour.test_jobs import add_job, claimed

pytestmark = pytest.mark.asyncio


async def test_users_are_listed_in_sign_up_order_with_a_total(uow_factory: UowFactory) -> None:
    added = [await add_user(uow_factory, f"user{i}@example.com") for i in range(3)]
    async with uow_factory() as uow:
        first = await uow.users.list(PageWindow(limit=2))
        rest = await uow.users.list(PageWindow(limit=2, offset=2))
        past = await uow.users.list(PageWindow(limit=2, offset=5))
    assert [user.id for user in first.items] == [user.id for user in added[:2]]
    assert [user.id for user in rest.items] == [added[2].id]
    assert (first.total, rest.total, past.total, list(past.items)) == (3, 3, 3, [])


async def test_a_new_user_is_active(uow_factory: UowFactory, alice: User) -> None:
    assert alice.disabled_at is None
    assert not alice.is_disabled


async def test_disabling_sets_disabled_at_once_and_keeps_the_first_time(
    uow_factory: UowFactory, alice: User, bob: User
) -> None:
    async with uow_factory() as uow:
        disabled = await uow.users.disable(alice.id)
        await uow.commit()
    assert disabled is not None
    assert disabled.disabled_at is not None
    assert disabled.disabled_at >= alice.created_at
    async with uow_factory() as uow:
        again = await uow.users.disable(alice.id)
        await uow.commit()
    assert again is not None
    assert again.disabled_at == disabled.disabled_at
    async with uow_factory() as uow:
        assert await uow.users.get(alice.id) == disabled
        assert await uow.users.get_by_email("alice@example.com") == disabled
        assert (await uow.users.get(bob.id)) == bob  # the others untouched
        listed = await uow.users.list(PageWindow())
    assert [user.is_disabled for user in listed.items] == [True, False]


async def test_disabling_nobody_changes_nothing(uow_factory: UowFactory, alice: User) -> None:
    async with uow_factory() as uow:
        assert await uow.users.disable(UserId(uuid.uuid4())) is None
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.users.get(alice.id) == alice


async def test_a_disable_left_uncommitted_is_rolled_back(
    uow_factory: UowFactory, alice: User
) -> None:
    async with uow_factory() as uow:
        await uow.users.disable(alice.id)
    async with uow_factory() as uow:
        assert await uow.users.get(alice.id) == alice


async def failed_job(uow_factory: UowFactory, owner: User, error: str = "boom") -> Job:
    """A committed job that a worker ran and ended failed."""
    await add_job(uow_factory, owner, 1, 2, 3)
    job = await claimed(uow_factory, "w1")
    async with uow_factory() as uow:
        moved = await uow.jobs.advance(job.id, "w1", 0, 2, [], 30.0)
        assert moved is not None
        failed = await uow.jobs.finish(job.id, "w1", JobStatus.FAILED, error)
        await uow.commit()
    assert failed is not None
    return failed


async def test_jobs_are_listed_newest_first_across_owners_and_by_status(
    uow_factory: UowFactory, alice: User, bob: User
) -> None:
    failed = await failed_job(uow_factory, alice)
    queued_alice = await add_job(uow_factory, alice)
    queued_bob = await add_job(uow_factory, bob)
    async with uow_factory() as uow:
        every = await uow.jobs.list(None, PageWindow())
        queued = await uow.jobs.list(JobStatus.QUEUED, PageWindow(limit=1))
        failures = await uow.jobs.list(JobStatus.FAILED, PageWindow())
        running = await uow.jobs.list(JobStatus.RUNNING, PageWindow())
    assert [job.id for job in every.items] == [queued_bob.id, queued_alice.id, failed.id]
    assert every.total == 3
    assert ([job.id for job in queued.items], queued.total) == ([queued_bob.id], 2)
    assert list(failures.items) == [failed]
    assert (list(running.items), running.total) == ([], 0)


async def test_find_sees_any_owners_job(uow_factory: UowFactory, bob: User) -> None:
    job = await add_job(uow_factory, bob)
    async with uow_factory() as uow:
        assert await uow.jobs.find(job.id) == job
        assert await uow.jobs.find(JobId(job.id + 1000)) is None


async def test_a_failed_job_is_requeued_and_resumes_where_it_stopped(
    uow_factory: UowFactory, alice: User
) -> None:
    failed = await failed_job(uow_factory, alice)
    async with uow_factory() as uow:
        requeued = await uow.jobs.requeue(failed.id)
        await uow.commit()
    assert requeued is not None
    assert (requeued.status, requeued.attempts, requeued.error, requeued.finished_at) == (
        JobStatus.QUEUED,
        0,
        None,
        None,
    )
    # What was done stays done: the next run goes on after the committed batch.
    assert (requeued.processed, requeued.remaining, requeued.task_ids) == (
        2,
        failed.remaining,
        failed.task_ids,
    )
    again = await claimed(uow_factory, "w2")
    assert (again.id, again.attempts, again.processed) == (failed.id, 1, 2)


async def test_only_failed_jobs_are_requeued(uow_factory: UowFactory, alice: User) -> None:
    queued = await add_job(uow_factory, alice)
    async with uow_factory() as uow:
        assert await uow.jobs.requeue(queued.id) is None
        assert await uow.jobs.requeue(JobId(queued.id + 1000)) is None
        await uow.commit()
    running = await claimed(uow_factory, "w1")
    async with uow_factory() as uow:
        assert await uow.jobs.requeue(running.id) is None
        done = await uow.jobs.finish(running.id, "w1", JobStatus.SUCCEEDED)
        assert done is not None
        assert await uow.jobs.requeue(running.id) is None
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.jobs.find(running.id)
    assert stored is not None
    assert stored.status is JobStatus.SUCCEEDED


async def test_a_requeued_job_is_not_purged_as_finished(
    uow_factory: UowFactory, alice: User
) -> None:
    failed = await failed_job(uow_factory, alice)
    async with uow_factory() as uow:
        await uow.jobs.requeue(failed.id)
        await uow.commit()
    assert failed.finished_at is not None

    async with uow_factory() as uow:
        assert await uow.jobs.purge_finished(failed.finished_at + timedelta(days=1), 10) == 0
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.jobs.find(failed.id) is not None
