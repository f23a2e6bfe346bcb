"""Administration (the ``litestar users ...`` and ``litestar jobs ...`` commands): users
created without sign-up limits, listed and disabled; jobs listed and failed ones retried.
"""

from application.ports import PasswordHasher
from domain.errors import ConflictError, InvalidInputError, NotFoundError
from domain.ids import JobId, is_storable_id
from domain.job import Job, JobStatus
from domain.paging import Page, PageWindow
from domain.unit_of_work import UnitOfWork
from domain.user import (
    NewUser,
    User,
    checked_display_name,
    checked_password,
    normalized_email,
)


def no_user_with(email: str) -> str:
    """The message for an e-mail that names no user."""
    return f"no user with e-mail {email}"


def no_job(job_id: int) -> str:
    """The message for an id that names no job."""
    return f"no job {job_id}"


def not_failed(job: Job) -> str:
    """The message for a retry of a job that did not fail."""
    return f"job {job.id} is {job.status.value}: only failed jobs can be retried"


async def create_user(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    email: str,
    password: str,
    display_name: str | None = None,
) -> User:
    """A new user, with the same rules as sign-up but no attempt limits;
    ``InvalidInputError`` for bad input, ``ConflictError`` when the e-mail is taken.
    """
    normalized = normalized_email(email)
    checked_password(password)
    checked_display_name(display_name)
    password_hash = await hasher.hash(password)
    async with uow:
        user = await uow.users.add(NewUser(normalized, password_hash, display_name))
        await uow.commit()
    return user


async def list_users(uow: UnitOfWork, window: PageWindow) -> Page[User]:
    """Every user, in sign-up order."""
    async with uow.reading():
        return await uow.users.list(window)


async def disable_user(uow: UnitOfWork, email: str) -> tuple[User, bool]:
    """Disable the user with this e-mail; the user and whether this call disabled it
    (``False``: it already was). ``NotFoundError`` when no user has it.
    """
    try:
        normalized = normalized_email(email)
    except InvalidInputError:
        raise NotFoundError(no_user_with(email)) from None
    async with uow:
        user = await uow.users.get_by_email(normalized)
        if user is None:
            raise NotFoundError(no_user_with(email))
        if user.is_disabled:
            return user, False
        disabled = await uow.users.disable(user.id)
        if disabled is None:  # deleted meanwhile
            raise NotFoundError(no_user_with(email))
        await uow.commit()
    return disabled, True


async def list_jobs(uow: UnitOfWork, status: JobStatus | None, window: PageWindow) -> Page[Job]:
    """Every owner's jobs, newest first, those in ``status`` only when given."""
    async with uow.reading():
        return await uow.jobs.list(status, window)


async def retry_job(uow: UnitOfWork, job_id: int) -> tuple[Job, Job]:
    """Queue a failed job again (``domain.job.requeued``); the job as it was and as it
    is now. ``NotFoundError`` for an unknown id, ``ConflictError`` for a job that is
    not failed.
    """
    if not is_storable_id(job_id):
        raise NotFoundError(no_job(job_id))
    async with uow:
        before = await uow.jobs.find(JobId(job_id))
        if before is None:
            raise NotFoundError(no_job(job_id))
        if before.status is not JobStatus.FAILED:
            raise ConflictError(not_failed(before))
        after = await uow.jobs.requeue(before.id)
        if after is None:  # another retry, or the purge, came first
            raise ConflictError(f"job {job_id} changed meanwhile; look again")
        await uow.commit()
    return before, after
