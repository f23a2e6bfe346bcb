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
