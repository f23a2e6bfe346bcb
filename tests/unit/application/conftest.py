"""Use cases run on the in-memory store with fast fakes for hashing and tokens."""

import pytest
import pytest_asyncio

from application.dto import RegisterCommand
from application.use_cases.auth import register
from domain.user import User
from infrastructure.persistence.memory import InMemoryStore, InMemoryUnitOfWork
from tests.unit.application.fakes import (
    FakeAttemptLimiter,
    FakePasswordHasher,
    FakeTokenService,
)


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


@pytest.fixture
def uow(store: InMemoryStore) -> InMemoryUnitOfWork:
    # One object for every use case, as a request would: each enters it afresh.
    return InMemoryUnitOfWork(store)


@pytest.fixture
def hasher() -> FakePasswordHasher:
    return FakePasswordHasher()


@pytest.fixture
def tokens() -> FakeTokenService:
    return FakeTokenService()


@pytest.fixture
def limiter() -> FakeAttemptLimiter:
    """No limit is reached unless a test sets one."""
    return FakeAttemptLimiter()


@pytest_asyncio.fixture
async def alice(uow: InMemoryUnitOfWork, hasher: FakePasswordHasher) -> User:
    command = RegisterCommand("alice@example.com", "alice-secret")
    return await register(uow, hasher, FakeAttemptLimiter(), command)


@pytest_asyncio.fixture
async def bob(uow: InMemoryUnitOfWork, hasher: FakePasswordHasher) -> User:
    command = RegisterCommand("bob@example.com", "bob-secret")
    return await register(uow, hasher, FakeAttemptLimiter(), command)
