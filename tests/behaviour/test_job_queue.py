"""The job queue's fairness, per-user cap, purge and compare-and-set progress."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from application.jobs.submission import submit_processing
from domain.errors import TooManyRequestsError
from domain.job import Job, JobStatus
from domain.user import User
from tests.behaviour.support import UowFactory, add_user
from tests.behaviour.test_jobs import LONG, add_job, claim, claimed, get

pytestmark = pytest.mark.asyncio


async def finish(uow_factory: UowFactory, job: Job, status: JobStatus) -> Job:
    """Claim ``job`` (the next in line) and end it with ``status``."""
    taken = await claimed(uow_factory, "w")
    assert taken.id == job.id
    async with uow_factory() as uow:
        finished = await uow.jobs.finish(job.id, "w", status)
        await uow.commit()
    assert finished is not None
    return finished


async def test_advance_moves_progress_only_from_the_expected_count(
    uow_factory: UowFactory, alice: User
) -> None:
    job = await add_job(uow_factory, alice, 1, 2, 3, 4)
    await claimed(uow_factory, "w")
    async with uow_factory() as uow:
        first = await uow.jobs.advance(job.id, "w", 0, 2, (), LONG)
        await uow.commit()
    assert first is not None
    assert first.processed == 2
    async with uow_factory() as uow:
        # The same batch again, as after a commit whose outcome was unknown: no match.
        assert await uow.jobs.advance(job.id, "w", 0, 2, [job.task_ids[0]], LONG) is None
        assert await uow.jobs.advance(job.id, "w", 3, 1, (), LONG) is None
        second = await uow.jobs.advance(job.id, "w", 2, 2, [job.task_ids[3]], LONG)
        await uow.commit()
    assert second is not None
    assert (second.processed, second.skipped, second.remaining) == (4, (4,), ())
    assert await get(uow_factory, alice, job.id) == second


async def test_held_reads_the_job_only_for_the_worker_holding_it(
    uow_factory: UowFactory, alice: User
) -> None:
    job = await add_job(uow_factory, alice, 1, 2)
    async with uow_factory() as uow:
        assert await uow.jobs.held(job.id, "w") is None  # queued: nobody holds it
    taken = await claimed(uow_factory, "w")
    async with uow_factory() as uow:
        assert await uow.jobs.held(job.id, "w") == taken
        assert await uow.jobs.held(job.id, "other") is None
        assert await uow.jobs.finish(job.id, "w", JobStatus.SUCCEEDED) is not None
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.jobs.held(job.id, "w") is None


async def test_claims_serve_a_user_with_one_job_before_most_of_anothers_backlog(
    uow_factory: UowFactory, alice: User, bob: User
) -> None:
    backlog = [await add_job(uow_factory, alice) for _ in range(5)]
    single = await add_job(uow_factory, bob)
    order = [(await claimed(uow_factory, f"w{n}")).id for n in range(6)]
    assert order.index(single.id) <= 1, order
    assert order == [backlog[0].id, single.id, *(job.id for job in backlog[1:])]
    assert await claim(uow_factory, "w6") is None


async def test_claims_take_turns_between_owners_with_backlogs(
    uow_factory: UowFactory, alice: User, bob: User
) -> None:
    carol = await add_user(uow_factory, "carol@example.com")
    alices = [await add_job(uow_factory, alice) for _ in range(3)]
    bobs = [await add_job(uow_factory, bob) for _ in range(2)]
    carols = [await add_job(uow_factory, carol) for _ in range(2)]
    order = [(await claimed(uow_factory, f"w{n}")).id for n in range(7)]
    assert order == [
        alices[0].id,
        bobs[0].id,
        carols[0].id,
        alices[1].id,
        bobs[1].id,
        carols[1].id,
        alices[2].id,
    ]


async def test_an_owner_served_long_ago_goes_before_one_served_just_now(
    uow_factory: UowFactory, alice: User, bob: User
) -> None:
    first = await add_job(uow_factory, alice)
    await finish(uow_factory, first, JobStatus.SUCCEEDED)
    bobs = await add_job(uow_factory, bob)
    await finish(uow_factory, bobs, JobStatus.SUCCEEDED)
    # Both have been served: the finished jobs still say when. Alice was served first.
    later_bob = await add_job(uow_factory, bob)
    later_alice = await add_job(uow_factory, alice)
    assert [(await claimed(uow_factory, f"w{n}")).id for n in range(2)] == [
        later_alice.id,
        later_bob.id,
    ]


async def test_count_unfinished_counts_the_owners_queued_and_running_jobs(
    uow_factory: UowFactory, alice: User, bob: User
) -> None:
    done = await add_job(uow_factory, alice)
    await finish(uow_factory, done, JobStatus.FAILED)
    await add_job(uow_factory, alice)
    await claimed(uow_factory, "w")  # running
    await add_job(uow_factory, alice)  # queued
    await add_job(uow_factory, bob)
    async with uow_factory() as uow:
        assert await uow.jobs.count_unfinished(alice.id) == 2
        assert await uow.jobs.count_unfinished(bob.id) == 1


async def test_concurrent_submissions_never_exceed_the_cap(
    uow_factory: UowFactory, alice: User, bob: User
) -> None:
    async def submit(owner: User) -> Job | TooManyRequestsError:
        try:
            return await submit_processing(uow_factory(), owner.id, [1], 3)
        except TooManyRequestsError as error:
            return error

    async with asyncio.timeout(10):
        outcomes = await asyncio.gather(*(submit(alice) for _ in range(8)), submit(bob))
    accepted = [o for o in outcomes if isinstance(o, Job)]
    refused = [o for o in outcomes if isinstance(o, TooManyRequestsError)]
    assert sorted(job.owner_id == alice.id for job in accepted) == [False, True, True, True]
    assert len(refused) == 5
    assert {error.retry_after_s for error in refused} == {5}
    async with uow_factory() as uow:
        assert await uow.jobs.count_unfinished(alice.id) == 3


async def test_purge_deletes_old_finished_jobs_in_bounded_batches(
    uow_factory: UowFactory, alice: User, bob: User
) -> None:
    old = [await add_job(uow_factory, owner) for owner in (alice, bob, alice)]
    statuses = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.SUCCEEDED)
    for job, status in zip(old, statuses, strict=True):
        await finish(uow_factory, job, status)
    await asyncio.sleep(0.01)
    cutoff = datetime.now(UTC)
    await asyncio.sleep(0.01)
    recent = await add_job(uow_factory, alice)
    await finish(uow_factory, recent, JobStatus.SUCCEEDED)
    running = await add_job(uow_factory, alice)
    await claimed(uow_factory, "w")
    queued = await add_job(uow_factory, bob)

    async def purge(limit: int) -> int:
        async with uow_factory() as uow:
            deleted = await uow.jobs.purge_finished(cutoff, limit)
            await uow.commit()
        return deleted

    assert await purge(2) == 2
    # The jobs that finished longest ago went first.
    assert await get(uow_factory, alice, old[0].id) is None
    assert await get(uow_factory, bob, old[1].id) is None
    assert await get(uow_factory, alice, old[2].id) is not None
    assert await purge(2) == 1
    assert await purge(2) == 0
    assert await get(uow_factory, alice, old[2].id) is None
    for owner, kept in ((alice, recent), (alice, running), (bob, queued)):
        assert await get(uow_factory, owner, kept.id) is not None
    # Far in the future, only finished jobs qualify: the unfinished ones stay.
    async with uow_factory() as uow:
        assert await uow.jobs.purge_finished(cutoff + timedelta(days=365), 10) == 1
    assert await get(uow_factory, alice, recent.id) is not None  # not committed


async def test_a_purge_rolled_back_deletes_nothing(uow_factory: UowFactory, alice: User) -> None:
    job = await add_job(uow_factory, alice)
    await finish(uow_factory, job, JobStatus.SUCCEEDED)
    async with uow_factory() as uow:
        assert await uow.jobs.purge_finished(datetime.now(UTC) + timedelta(hours=1), 10) == 1
    assert await get(uow_factory, alice, job.id) is not None
