"""Registering, logging in, and resolving the current user."""

import uuid

import pytest

from application.dto import LogInCommand, RegisterCommand
from application.ports import AttemptRule
from application.use_cases.auth import BAD_LOGIN, current_user, log_in, register
from domain.errors import AuthenticationError, ConflictError, InvalidInputError
from domain.ids import UserId
from domain.user import User
from infrastructure.persistence.memory import InMemoryUnitOfWork
from tests.unit.application.fakes import (
    FakeAttemptLimiter,
    FakePasswordHasher,
    FakeTokenService,
)

pytestmark = pytest.mark.asyncio


async def test_register_stores_a_lower_cased_email_and_a_hash(
    uow: InMemoryUnitOfWork, hasher: FakePasswordHasher, limiter: FakeAttemptLimiter
) -> None:
    user = await register(
        uow, hasher, limiter, RegisterCommand("Ann@Example.COM", "password1", "Ann")
    )
    assert (user.email, user.display_name) == ("ann@example.com", "Ann")
    assert "password1" not in user.password_hash
    assert await hasher.verify(user.password_hash, "password1")
    assert await current_user(uow, user.id) == user


async def test_register_twice_in_any_case_conflicts(
    uow: InMemoryUnitOfWork, hasher: FakePasswordHasher, limiter: FakeAttemptLimiter, alice: User
) -> None:
    with pytest.raises(ConflictError):
        await register(uow, hasher, limiter, RegisterCommand("ALICE@example.com", "another-pw"))
    async with uow:
        assert await uow.users.get_by_email("alice@example.com") == alice


@pytest.mark.parametrize(
    ("command", "field"),
    [
        (RegisterCommand("not-an-email", "password1"), "email"),
        (RegisterCommand("a@b", "password1"), "email"),
        (RegisterCommand("ann@example.com", "short"), "password"),
        (RegisterCommand("ann@example.com", "x" * 129), "password"),
        (RegisterCommand("ann@example.com", "pass\x00word"), "password"),
        (RegisterCommand("ann@example.com", "password1", ""), "display_name"),
        (RegisterCommand("ann@example.com", "password1", "n" * 101), "display_name"),
    ],
)
async def test_register_refuses_invalid_input_before_hashing(
    uow: InMemoryUnitOfWork,
    hasher: FakePasswordHasher,
    limiter: FakeAttemptLimiter,
    command: RegisterCommand,
    field: str,
) -> None:
    with pytest.raises(InvalidInputError) as raised:
        await register(uow, hasher, limiter, command)
    assert [problem.field for problem in raised.value.problems] == [field]
    assert hasher.hashed == 0
    async with uow:
        assert await uow.users.get_by_email("ann@example.com") is None


async def test_password_length_counts_code_points(
    uow: InMemoryUnitOfWork, hasher: FakePasswordHasher, limiter: FakeAttemptLimiter
) -> None:
    # Eight characters, but 32 bytes in UTF-8.
    user = await register(uow, hasher, limiter, RegisterCommand("ann@example.com", "🔑" * 8))
    assert await hasher.verify(user.password_hash, "🔑" * 8)


async def test_log_in_issues_a_token_for_the_user(
    uow: InMemoryUnitOfWork,
    hasher: FakePasswordHasher,
    limiter: FakeAttemptLimiter,
    tokens: FakeTokenService,
    alice: User,
) -> None:
    token = await log_in(
        uow, hasher, tokens, limiter, LogInCommand("Alice@Example.com", "alice-secret")
    )
    assert tokens.verify(token.token) == alice.id
    assert token.expires_in == 3600


@pytest.mark.parametrize(
    ("email", "password", "burns"),
    [
        ("alice@example.com", "wrong-secret", 0),
        ("alice@example.com", "Alice-secret", 0),
        ("nobody@example.com", "alice-secret", 1),
        ("not an email", "alice-secret", 1),
    ],
)
async def test_log_in_refuses_bad_credentials(
    uow: InMemoryUnitOfWork,
    hasher: FakePasswordHasher,
    limiter: FakeAttemptLimiter,
    tokens: FakeTokenService,
    alice: User,
    email: str,
    password: str,
    burns: int,
) -> None:
    with pytest.raises(AuthenticationError):
        await log_in(uow, hasher, tokens, limiter, LogInCommand(email, password))
    # An unknown e-mail spends a hash's time, so timing does not reveal who is registered.
    assert hasher.burned == burns


async def test_current_user_of_an_unknown_id_fails(uow: InMemoryUnitOfWork, alice: User) -> None:
    assert await current_user(uow, alice.id) == alice
    with pytest.raises(AuthenticationError):
        await current_user(uow, UserId(uuid.uuid4()))


async def disable(uow: InMemoryUnitOfWork, user: User) -> None:
    async with uow:
        await uow.users.disable(user.id)
        await uow.commit()


async def test_a_disabled_user_is_refused_like_a_wrong_password(
    uow: InMemoryUnitOfWork,
    hasher: FakePasswordHasher,
    limiter: FakeAttemptLimiter,
    tokens: FakeTokenService,
    alice: User,
) -> None:
    await disable(uow, alice)
    with pytest.raises(AuthenticationError) as right:
        await log_in(
            uow, hasher, tokens, limiter, LogInCommand("alice@example.com", "alice-secret")
        )
    with pytest.raises(AuthenticationError) as wrong:
        await log_in(uow, hasher, tokens, limiter, LogInCommand("alice@example.com", "not-hers!"))
    # Same message, same work (a verify each), counted alike: nothing tells them apart.
    assert right.value.detail == wrong.value.detail == BAD_LOGIN
    assert (hasher.verified, hasher.burned) == (2, 0)
    assert limiter.counts[AttemptRule.LOGIN_FAILURES_PER_ACCOUNT, "alice@example.com"] == 2


async def test_the_current_user_must_not_be_disabled(
    uow: InMemoryUnitOfWork, alice: User, bob: User
) -> None:
    await disable(uow, alice)
    with pytest.raises(AuthenticationError, match="disabled"):
        await current_user(uow, alice.id)
    assert await current_user(uow, bob.id) == bob
