"""Users: stored and found by id and e-mail, the e-mail unique."""

import uuid

import pytest

from domain.category import NewCategory
from domain.errors import AuthenticationError, ConflictError
from domain.ids import UserId
from domain.job import NewJob
from domain.paging import Page, PageWindow
from domain.task import NewTask
from domain.user import NewUser, User
from tests.behaviour.support import UowFactory, add_user

pytestmark = pytest.mark.asyncio


async def add_user_raw(uow_factory: UowFactory, user: NewUser) -> User:
    uow = uow_factory()
    async with uow:
        stored = await uow.users.add(user)
        await uow.commit()
    return stored


async def test_user_round_trips(uow_factory: UowFactory) -> None:
    added = await add_user_raw(uow_factory, NewUser("Ann@Example.com", "hash$1", "Ann"))
    assert (added.email, added.password_hash, added.display_name) == (
        "ann@example.com",
        "hash$1",
        "Ann",
    )
    async with uow_factory() as uow:
        assert await uow.users.get(added.id) == added
        assert await uow.users.get_by_email("ann@example.com") == added


async def test_composed_and_decomposed_emails_are_one_account(uow_factory: UowFactory) -> None:
    composed = await add_user(uow_factory, "ren\u00e9@example.com")
    with pytest.raises(ConflictError):
        await add_user(uow_factory, "RENE\u0301@example.com")
    async with uow_factory() as uow:
        assert await uow.users.get_by_email("ren\u00e9@example.com") == composed


async def test_rows_of_a_user_who_does_not_exist_are_refused(
    uow_factory: UowFactory, alice: User
) -> None:
    # The user foreign keys; the HTTP layer answers 401 (the token names no user).
    ghost = UserId(uuid.uuid4())
    async with uow_factory() as uow:
        with pytest.raises(AuthenticationError):
            await uow.categories.add(NewCategory(ghost, "Work"))
    async with uow_factory() as uow:
        with pytest.raises(AuthenticationError):
            await uow.tasks.add(NewTask(ghost, "a task"))
    async with uow_factory() as uow:
        with pytest.raises(AuthenticationError):
            await uow.jobs.add(NewJob.listing(ghost, [1]))
    async with uow_factory() as uow:
        assert await uow.categories.list(alice.id, PageWindow()) == Page([], 0, 20, 0)


async def test_users_get_distinct_ids(uow_factory: UowFactory) -> None:
    first = await add_user(uow_factory, "one@example.com")
    second = await add_user(uow_factory, "two@example.com")
    assert isinstance(first.id, uuid.UUID)
    assert first.id != second.id


async def test_unknown_user_is_none(uow_factory: UowFactory, alice: User) -> None:
    async with uow_factory() as uow:
        assert await uow.users.get(UserId(uuid.uuid4())) is None
        assert await uow.users.get_by_email("nobody@example.com") is None


async def test_email_is_unique_in_any_case(uow_factory: UowFactory, alice: User) -> None:
    with pytest.raises(ConflictError, match="e-mail already registered"):
        await add_user(uow_factory, "ALICE@example.COM")
    async with uow_factory() as uow:
        assert await uow.users.get_by_email("alice@example.com") == alice


async def test_duplicate_email_raises_conflict_at_the_call(
    uow_factory: UowFactory, alice: User
) -> None:
    # The port promises ConflictError from `add` itself, so a use case can catch it
    # inside its block (bulk creation does), not only when the block ends.
    async with uow_factory() as uow:
        with pytest.raises(ConflictError, match="e-mail already registered"):
            await uow.users.add(NewUser("Alice@Example.com", "hash"))
