"""Jobs: an owner-scoped queue whose writes apply only while the worker holds the lease."""

import asyncio

import pytest

from domain.ids import JobId, TaskId
from domain.job import Job, JobStatus, NewJob
from domain.user import User
from tests.behaviour.conftest import SQL_SERVERS
from tests.behaviour.support import UowFactory

pytestmark = pytest.mark.asyncio

LONG = 30.0
# Short enough to run out within a test, long enough to outlast the statement taking it.
SHORT = 0.05


async def add_job(uow_factory: UowFactory, owner: User, *task_ids: int) -> Job:
    """A committed, queued job."""
    async with uow_factory() as uow:
        job = await uow.jobs.add(NewJob.listing(owner.id, task_ids or (1,)))
        await uow.commit()
    return job


async def claim(uow_factory: UowFactory, worker: str, lease_s: float = LONG) -> Job | None:
    """A committed claim."""
    async with uow_factory() as uow:
        job = await uow.jobs.claim(worker, lease_s)
        await uow.commit()
    return job


async def claimed(uow_factory: UowFactory, worker: str, lease_s: float = LONG) -> Job:
    job = await claim(uow_factory, worker, lease_s)
    assert job is not None
    return job


async def get(uow_factory: UowFactory, owner: User, job_id: JobId) -> Job | None:
    async with uow_factory() as uow:
        return await uow.jobs.get(owner.id, job_id)


async def test_added_job_is_queued_and_round_trips(uow_factory: UowFactory, alice: User) -> None:
    job = await add_job(uow_factory, alice, 3, 1, 2)
    assert (job.owner_id, job.status, job.task_ids) == (alice.id, JobStatus.QUEUED, (3, 1, 2))
    assert (job.processed, job.skipped, job.error, job.attempts) == (0, (), None, 0)
    assert job.finished_at is None
    assert job.created_at.tzinfo is not None
    assert await get(uow_factory, alice, job.id) == job


async def test_get_is_scoped_by_owner(uow_factory: UowFactory, alice: User, bob: User) -> None:
    job = await add_job(uow_factory, alice)
    assert await get(uow_factory, bob, job.id) is None
    assert await get(uow_factory, alice, JobId(job.id + 1)) is None


async def test_claims_take_queued_jobs_oldest_first(
    uow_factory: UowFactory, alice: User, bob: User
) -> None:
    first = await add_job(uow_factory, alice)
    second = await add_job(uow_factory, bob)
    third = await add_job(uow_factory, alice)
    taken = [await claimed(uow_factory, f"w{n}") for n in range(3)]
    assert [job.id for job in taken] == [first.id, second.id, third.id]
    assert all(job.status is JobStatus.RUNNING and job.attempts == 1 for job in taken)
    assert await claim(uow_factory, "w3") is None
    assert await get(uow_factory, bob, second.id) == taken[1]


async def test_claim_passes_over_leased_and_finished_jobs(
    uow_factory: UowFactory, alice: User
) -> None:
    leased = await add_job(uow_factory, alice)
    done = await add_job(uow_factory, alice)
    waiting = await add_job(uow_factory, alice)
    assert (await claimed(uow_factory, "w1")).id == leased.id
    assert (await claimed(uow_factory, "w2")).id == done.id
    async with uow_factory() as uow:
        assert await uow.jobs.finish(done.id, "w2", JobStatus.SUCCEEDED) is not None
        await uow.commit()
    assert (await claimed(uow_factory, "w3")).id == waiting.id
    assert await claim(uow_factory, "w4") is None


async def test_an_expired_lease_is_claimed_again_and_counted(
    uow_factory: UowFactory, alice: User
) -> None:
    job = await add_job(uow_factory, alice, 1, 2)
    assert (await claimed(uow_factory, "slow", SHORT)).attempts == 1
    await asyncio.sleep(SHORT * 3)
    taken = await claimed(uow_factory, "fast")
    assert (taken.id, taken.status, taken.attempts) == (job.id, JobStatus.RUNNING, 2)
    # The first worker lost it: none of its writes apply any more.
    async with uow_factory() as uow:
        assert await uow.jobs.advance(job.id, "slow", 0, 1, (), LONG) is None
        assert await uow.jobs.finish(job.id, "slow", JobStatus.FAILED, "late") is None
        assert await uow.jobs.release(job.id, "slow") is False
        await uow.commit()
    assert await get(uow_factory, alice, job.id) == taken


async def test_advance_accumulates_progress_skips_and_failures(
    uow_factory: UowFactory, alice: User
) -> None:
    many = [TaskId(n) for n in range(100, 250)]
    job = await add_job(uow_factory, alice, *range(1, 5), *many)
    await claimed(uow_factory, "w")
    async with uow_factory() as uow:
        first = await uow.jobs.advance(job.id, "w", 0, 2, [TaskId(2)], LONG)
        second = await uow.jobs.advance(job.id, "w", 2, 1, (), LONG, failure="task 3: boom")
        third = await uow.jobs.advance(
            job.id, "w", 3, 1 + len(many), many, LONG, failure="task 4: x"
        )
        await uow.commit()
    assert first is not None
    assert (first.processed, first.skipped, first.error) == (2, (2,), None)
    assert second is not None
    assert (second.processed, second.skipped, second.error) == (3, (2,), "task 3: boom")
    assert third is not None
    assert third.processed == 4 + len(many)
    assert third.skipped == (2, *many)
    assert third.error == "task 3: boom; task 4: x"
    assert (third.status, third.attempts, third.remaining) == (JobStatus.RUNNING, 1, ())
    assert await get(uow_factory, alice, job.id) == third


async def test_advance_renews_the_lease(uow_factory: UowFactory, alice: User) -> None:
    job = await add_job(uow_factory, alice, 1, 2)
    await claimed(uow_factory, "w", SHORT)
    async with uow_factory() as uow:
        assert await uow.jobs.advance(job.id, "w", 0, 1, (), LONG) is not None
        await uow.commit()
    await asyncio.sleep(SHORT * 3)
    assert await claim(uow_factory, "other") is None


async def test_advance_applies_only_for_the_lease_holder(
    uow_factory: UowFactory, alice: User
) -> None:
    job = await add_job(uow_factory, alice, 1, 2)
    await claimed(uow_factory, "w")
    async with uow_factory() as uow:
        assert await uow.jobs.advance(job.id, "other", 0, 1, [TaskId(1)], LONG) is None
        assert await uow.jobs.advance(JobId(job.id + 1), "w", 0, 1, (), LONG) is None
        assert await uow.jobs.finish(job.id, "w", JobStatus.SUCCEEDED) is not None
        assert await uow.jobs.advance(job.id, "w", 0, 1, (), LONG) is None
        await uow.commit()
    stored = await get(uow_factory, alice, job.id)
    assert stored is not None
    assert (stored.processed, stored.skipped) == (0, ())


async def test_advance_on_a_queued_job_applies_nowhere(
    uow_factory: UowFactory, alice: User
) -> None:
    job = await add_job(uow_factory, alice)
    async with uow_factory() as uow:
        assert await uow.jobs.advance(job.id, "w", 0, 1, (), LONG) is None
        assert await uow.jobs.finish(job.id, "w", JobStatus.SUCCEEDED) is None
        assert await uow.jobs.release(job.id, "w") is False
    assert await get(uow_factory, alice, job.id) == job


async def test_finish_ends_the_job_with_exactly_the_given_error(
    uow_factory: UowFactory, alice: User
) -> None:
    ok = await add_job(uow_factory, alice)
    bad = await add_job(uow_factory, alice)
    await claimed(uow_factory, "w")
    await claimed(uow_factory, "w")
    async with uow_factory() as uow:
        await uow.jobs.advance(bad.id, "w", 0, 1, (), LONG, failure="task 1: boom")
        succeeded = await uow.jobs.finish(ok.id, "w", JobStatus.SUCCEEDED)
        failed = await uow.jobs.finish(bad.id, "w", JobStatus.FAILED, "gave up")
        assert await uow.jobs.finish(ok.id, "w", JobStatus.FAILED, "twice") is None
        await uow.commit()
    assert succeeded is not None
    assert (succeeded.status, succeeded.error, succeeded.attempts) == (JobStatus.SUCCEEDED, None, 1)
    assert succeeded.finished_at is not None
    assert succeeded.finished_at >= succeeded.created_at
    assert failed is not None
    assert (failed.status, failed.error, failed.processed) == (JobStatus.FAILED, "gave up", 1)
    assert await get(uow_factory, alice, ok.id) == succeeded
    assert await get(uow_factory, alice, bad.id) == failed
    assert await claim(uow_factory, "w") is None


async def test_release_puts_the_job_back_in_the_queue(uow_factory: UowFactory, alice: User) -> None:
    job = await add_job(uow_factory, alice, 1, 2)
    await claimed(uow_factory, "w1")
    async with uow_factory() as uow:
        await uow.jobs.advance(job.id, "w1", 0, 1, (), LONG)
        assert await uow.jobs.release(job.id, "w2") is False
        assert await uow.jobs.release(job.id, "w1") is True
        assert await uow.jobs.release(job.id, "w1") is False
        await uow.commit()
    released = await get(uow_factory, alice, job.id)
    assert released is not None
    assert (released.status, released.processed, released.finished_at) == (
        JobStatus.QUEUED,
        1,
        None,
    )
    again = await claimed(uow_factory, "w2")
    # A graceful hand-back does not count as an interrupted attempt.
    assert (again.id, again.processed, again.attempts) == (job.id, 1, 1)


async def test_rollback_undoes_a_claim_and_an_add(uow_factory: UowFactory, alice: User) -> None:
    job = await add_job(uow_factory, alice)
    async with uow_factory() as uow:
        assert await uow.jobs.claim("w", LONG) is not None
        dropped = await uow.jobs.add(NewJob.listing(alice.id, [7]))
    assert await get(uow_factory, alice, job.id) == job
    assert await get(uow_factory, alice, dropped.id) is None
    taken = await claimed(uow_factory, "w")
    assert (taken.id, taken.attempts) == (job.id, 1)
    assert await claim(uow_factory, "w") is None


async def test_concurrent_claims_take_different_jobs(uow_factory: UowFactory, alice: User) -> None:
    jobs = [await add_job(uow_factory, alice) for _ in range(2)]

    async def claim_slowly(worker: str) -> Job | None:
        async with uow_factory() as uow:
            job = await uow.jobs.claim(worker, LONG)
            await asyncio.sleep(0.01)  # the other claim runs meanwhile where it can
            await uow.commit()
        return job

    taken = await asyncio.gather(claim_slowly("w1"), claim_slowly("w2"))
    assert sorted(job.id for job in taken if job is not None) == [job.id for job in jobs]


@pytest.mark.parametrize("backend", SQL_SERVERS)
async def test_a_claim_passes_over_a_job_claimed_in_an_open_transaction(
    uow_factory: UowFactory, alice: User
) -> None:
    first = await add_job(uow_factory, alice)
    second = await add_job(uow_factory, alice)
    async with uow_factory() as holder:
        held = await holder.jobs.claim("w1", LONG)
        assert held is not None
        assert held.id == first.id
        # SKIP LOCKED: the second claimer neither waits for the first nor takes its job.
        async with asyncio.timeout(2), uow_factory() as other:
            taken = await other.jobs.claim("w2", LONG)
            await other.commit()
        await holder.commit()
    assert taken is not None
    assert taken.id == second.id


@pytest.mark.parametrize("backend", SQL_SERVERS)
async def test_a_claim_does_not_wait_for_the_only_job(uow_factory: UowFactory, alice: User) -> None:
    job = await add_job(uow_factory, alice)
    async with uow_factory() as holder:
        assert await holder.jobs.claim("w1", LONG) is not None
        async with asyncio.timeout(2), uow_factory() as other:
            assert await other.jobs.claim("w2", LONG) is None
        await holder.commit()
    assert await claim(uow_factory, "w2") is None
    stored = await get(uow_factory, alice, job.id)
    assert stored is not None
    assert (stored.status, stored.attempts) == (JobStatus.RUNNING, 1)


async def test_many_concurrent_claimers_lease_each_job_once(
    uow_factory: UowFactory, alice: User
) -> None:
    jobs = [await add_job(uow_factory, alice) for _ in range(4)]
    taken = await asyncio.gather(*(claim(uow_factory, f"w{n}") for n in range(10)))
    ids = [job.id for job in taken if job is not None]
    assert sorted(ids) == [job.id for job in jobs]
