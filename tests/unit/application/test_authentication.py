"""The authenticator: valid tokens of existing users only; known users cost no read."""

from uuid import uuid4

import pytest

from application.authentication import Authenticator
from application.retry import RetryPolicy
from application.runner import UseCaseRunner
from domain.errors import AuthenticationError
from domain.ids import UserId
from domain.unit_of_work import UnitOfWork
from domain.user import User
from infrastructure.persistence.memory import InMemoryStore, InMemoryUnitOfWork
from tests.unit.application.fakes import FakeTokenService

pytestmark = pytest.mark.asyncio


class CountingRunner(UseCaseRunner):
    """A runner that counts the units of work it opens."""

    def __init__(self, store: InMemoryStore) -> None:
        self.opened = 0

        def unit_of_work() -> UnitOfWork:
            self.opened += 1
            return InMemoryUnitOfWork(store)

        super().__init__(unit_of_work, RetryPolicy())


async def test_a_token_of_nobody_is_refused_every_time(
    store: InMemoryStore, tokens: FakeTokenService
) -> None:
    runner = CountingRunner(store)
    authenticator = Authenticator(tokens, runner)
    ghost = tokens.issue(UserId(uuid4())).token
    for _ in range(2):
        with pytest.raises(AuthenticationError, match="names no user"):
            await authenticator.user_of(ghost)
    # Unknown ids are never remembered: each attempt looks again.
    assert runner.opened == 2


async def test_a_known_user_costs_one_read_per_process(
    store: InMemoryStore, tokens: FakeTokenService, alice: User
) -> None:
    runner = CountingRunner(store)
    authenticator = Authenticator(tokens, runner)
    token = tokens.issue(alice.id).token
    assert [await authenticator.user_of(token) for _ in range(5)] == [alice.id] * 5
    assert runner.opened == 1


async def test_memory_of_users_is_bounded_least_recent_first(
    store: InMemoryStore, tokens: FakeTokenService, alice: User, bob: User
) -> None:
    runner = CountingRunner(store)
    authenticator = Authenticator(tokens, runner, capacity=1)
    await authenticator.user_of(tokens.issue(alice.id).token)
    await authenticator.user_of(tokens.issue(bob.id).token)  # alice is forgotten
    await authenticator.user_of(tokens.issue(bob.id).token)
    assert runner.opened == 2
    await authenticator.user_of(tokens.issue(alice.id).token)
    assert runner.opened == 3


async def test_an_invalid_token_reads_nothing(
    store: InMemoryStore, tokens: FakeTokenService
) -> None:
    runner = CountingRunner(store)
    with pytest.raises(AuthenticationError):
        await Authenticator(tokens, runner).user_of("forged")
    assert runner.opened == 0


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_known_user_is_read_again_once_the_ttl_is_up(
    store: InMemoryStore, tokens: FakeTokenService, alice: User
) -> None:
    runner = CountingRunner(store)
    clock = Clock()
    authenticator = Authenticator(tokens, runner, ttl_s=60, clock=clock)
    token = tokens.issue(alice.id).token
    await authenticator.user_of(token)
    clock.now += 59.9
    await authenticator.user_of(token)
    assert runner.opened == 1
    clock.now += 0.1
    await authenticator.user_of(token)
    assert runner.opened == 2
    # Remembered again for a whole TTL from the new read.
    clock.now += 59.9
    await authenticator.user_of(token)
    assert runner.opened == 2


async def test_a_disabled_users_token_is_refused_within_the_ttl(
    store: InMemoryStore, tokens: FakeTokenService, alice: User
) -> None:
    runner = CountingRunner(store)
    clock = Clock()
    authenticator = Authenticator(tokens, runner, ttl_s=60, clock=clock)
    token = tokens.issue(alice.id).token
    await authenticator.user_of(token)
    async with InMemoryUnitOfWork(store) as uow:
        await uow.users.disable(alice.id)
        await uow.commit()
    # Still remembered: accepted until the TTL runs out, and refused from then on.
    await authenticator.user_of(token)
    clock.now += 60
    for _ in range(2):
        with pytest.raises(AuthenticationError, match="disabled"):
            await authenticator.user_of(token)
    assert runner.opened == 3


async def test_a_zero_ttl_reads_the_user_every_time(
    store: InMemoryStore, tokens: FakeTokenService, alice: User
) -> None:
    runner = CountingRunner(store)
    authenticator = Authenticator(tokens, runner, ttl_s=0)
    token = tokens.issue(alice.id).token
    for _ in range(3):
        await authenticator.user_of(token)
    assert runner.opened == 3
