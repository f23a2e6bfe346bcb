"""The sign-in attempt limits: which attempts count, against what, and when they refuse."""

import pytest

from application.dto import LogInCommand, RegisterCommand
from application.ports import AttemptRule
from application.use_cases.auth import log_in, register
from domain.errors import (
    AuthenticationError,
    ConflictError,
    InvalidInputError,
    TooManyRequestsError,
)
from domain.user import User
from infrastructure.persistence.memory import InMemoryUnitOfWork
from tests.unit.application.fakes import (
    FakeAttemptLimiter,
    FakePasswordHasher,
    FakeTokenService,
)

pytestmark = pytest.mark.asyncio

HOME = "192.0.2.1"
ELSEWHERE = "198.51.100.7"


@pytest.fixture
def limiter() -> FakeAttemptLimiter:
    return FakeAttemptLimiter(
        {
            AttemptRule.LOGIN_FAILURES_PER_ACCOUNT: 3,
            AttemptRule.LOGIN_PER_ADDRESS: 10,
            AttemptRule.REGISTER_PER_ACCOUNT: 2,
            AttemptRule.REGISTER_PER_ADDRESS: 4,
        },
        wait_s=42,
    )


async def test_failed_log_ins_lock_the_account_before_any_hashing(
    uow: InMemoryUnitOfWork,
    hasher: FakePasswordHasher,
    tokens: FakeTokenService,
    limiter: FakeAttemptLimiter,
    alice: User,
) -> None:
    for _ in range(3):
        with pytest.raises(AuthenticationError):
            await log_in(uow, hasher, tokens, limiter, LogInCommand(alice.email, "wrong", HOME))
    verified = hasher.verified
    # Locked: even the right password, in another letter case, from another address.
    command = LogInCommand("ALICE@example.com", "alice-secret", ELSEWHERE)
    with pytest.raises(TooManyRequestsError) as raised:
        await log_in(uow, hasher, tokens, limiter, command)
    assert raised.value.retry_after_s == 42
    assert hasher.verified == verified
    limiter.forget()
    assert await log_in(uow, hasher, tokens, limiter, command)


async def test_successful_log_ins_never_count_against_the_account(
    uow: InMemoryUnitOfWork,
    hasher: FakePasswordHasher,
    tokens: FakeTokenService,
    limiter: FakeAttemptLimiter,
    alice: User,
) -> None:
    for _ in range(6):
        await log_in(uow, hasher, tokens, limiter, LogInCommand(alice.email, "alice-secret"))
    assert (AttemptRule.LOGIN_FAILURES_PER_ACCOUNT, alice.email) not in limiter.counts


async def test_an_unknown_email_locks_like_a_known_one(
    uow: InMemoryUnitOfWork,
    hasher: FakePasswordHasher,
    tokens: FakeTokenService,
    limiter: FakeAttemptLimiter,
) -> None:
    command = LogInCommand("nobody@example.com", "guess", HOME)
    for _ in range(3):
        with pytest.raises(AuthenticationError):
            await log_in(uow, hasher, tokens, limiter, command)
    with pytest.raises(TooManyRequestsError):
        await log_in(uow, hasher, tokens, limiter, command)
    assert hasher.burned == 3


async def test_every_log_in_counts_against_the_address_whatever_the_account(
    uow: InMemoryUnitOfWork,
    hasher: FakePasswordHasher,
    tokens: FakeTokenService,
    limiter: FakeAttemptLimiter,
    alice: User,
) -> None:
    await log_in(uow, hasher, tokens, limiter, LogInCommand(alice.email, "alice-secret", HOME))
    for number in range(9):
        command = LogInCommand(f"user{number}@example.com", "guess", HOME)
        with pytest.raises(AuthenticationError):
            await log_in(uow, hasher, tokens, limiter, command)
    spent = hasher.verified + hasher.burned
    with pytest.raises(TooManyRequestsError):
        await log_in(uow, hasher, tokens, limiter, LogInCommand(alice.email, "alice-secret", HOME))
    assert hasher.verified + hasher.burned == spent
    # Another address is not affected.
    await log_in(uow, hasher, tokens, limiter, LogInCommand(alice.email, "alice-secret", ELSEWHERE))


async def test_registering_one_email_again_and_again_is_limited(
    uow: InMemoryUnitOfWork, hasher: FakePasswordHasher, limiter: FakeAttemptLimiter
) -> None:
    await register(uow, hasher, limiter, RegisterCommand("ann@example.com", "password1"))
    with pytest.raises(ConflictError):
        await register(uow, hasher, limiter, RegisterCommand("ANN@example.com", "password1"))
    hashed = hasher.hashed
    command = RegisterCommand("Ann@Example.com", "password1", client_address=ELSEWHERE)
    with pytest.raises(TooManyRequestsError) as raised:
        await register(uow, hasher, limiter, command)
    assert raised.value.retry_after_s == 42
    assert hasher.hashed == hashed


async def test_every_registration_counts_against_the_address_invalid_ones_too(
    uow: InMemoryUnitOfWork, hasher: FakePasswordHasher, limiter: FakeAttemptLimiter
) -> None:
    with pytest.raises(InvalidInputError):
        await register(
            uow, hasher, limiter, RegisterCommand("not-an-email", "password1", None, HOME)
        )
    for number in range(3):
        command = RegisterCommand(f"user{number}@example.com", "password1", None, HOME)
        await register(uow, hasher, limiter, command)
    with pytest.raises(TooManyRequestsError):
        await register(
            uow, hasher, limiter, RegisterCommand("late@example.com", "pw-123456", None, HOME)
        )
    await register(
        uow, hasher, limiter, RegisterCommand("late@example.com", "pw-123456", None, ELSEWHERE)
    )
