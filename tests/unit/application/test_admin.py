"""Administration use cases on the in-memory store: the messages the CLI prints."""

import pytest

from application.use_cases.admin import (
    create_user,
    disable_user,
    list_jobs,
    list_users,
    retry_job,
)
from domain.errors import ConflictError, InvalidInputError, NotFoundError
from domain.job import JobStatus, NewJob
from domain.paging import PageWindow
from domain.user import User
from infrastructure.persistence.memory import InMemoryUnitOfWork
from tests.unit.application.fakes import FakePasswordHasher

pytestmark = pytest.mark.asyncio


async def test_create_user_follows_sign_up_rules(
    uow: InMemoryUnitOfWork, hasher: FakePasswordHasher
) -> None:
    user = await create_user(uow, hasher, "Ann@Example.com", "password1", "Ann")
    assert (user.email, user.display_name, user.disabled_at) == ("ann@example.com", "Ann", None)
    assert await hasher.verify(user.password_hash, "password1")
    with pytest.raises(ConflictError):
        await create_user(uow, hasher, "ann@example.com", "password1")
    with pytest.raises(InvalidInputError, match="password"):
        await create_user(uow, hasher, "bob@example.com", "short")
    page = await list_users(uow, PageWindow())
    assert [listed.id for listed in page.items] == [user.id]


async def test_disable_user_by_email_once(uow: InMemoryUnitOfWork, alice: User) -> None:
    disabled, changed = await disable_user(uow, "ALICE@example.com")
    assert changed
    assert (disabled.id, disabled.is_disabled) == (alice.id, True)
    again, changed_again = await disable_user(uow, "alice@example.com")
    assert (again, changed_again) == (disabled, False)
    for email in ("nobody@example.com", "not an address"):
        with pytest.raises(NotFoundError, match=f"^no user with e-mail {email}$"):
            await disable_user(uow, email)


async def test_retry_job_requeues_failed_jobs_only(uow: InMemoryUnitOfWork, alice: User) -> None:
    async with uow:
        job = await uow.jobs.add(NewJob.listing(alice.id, [1, 2]))
        await uow.commit()
    with pytest.raises(ConflictError, match=f"^job {job.id} is queued: only failed"):
        await retry_job(uow, job.id)
    async with uow:
        await uow.jobs.claim("w", 30.0)
        await uow.jobs.finish(job.id, "w", JobStatus.FAILED, "boom")
        await uow.commit()
    before, after = await retry_job(uow, job.id)
    assert (before.status, before.error, before.attempts) == (JobStatus.FAILED, "boom", 1)
    assert (after.status, after.error, after.attempts) == (JobStatus.QUEUED, None, 0)
    queued = await list_jobs(uow, JobStatus.QUEUED, PageWindow())
    assert [listed.id for listed in queued.items] == [job.id]
    for missing in (job.id + 1, 0, -1, 2**63):
        with pytest.raises(NotFoundError, match=f"^no job {missing}$"):
            await retry_job(uow, missing)
