"""Persistence in process memory: the same semantics as the SQL store, for tests and demos."""

from infrastructure.persistence.memory.categories import InMemoryCategoryRepository
from infrastructure.persistence.memory.job_counts import job_counts
from infrastructure.persistence.memory.jobs import InMemoryJobRepository
from infrastructure.persistence.memory.probe import InMemoryDatabaseProbe
from infrastructure.persistence.memory.store import InMemoryStore
from infrastructure.persistence.memory.tasks import InMemoryTaskRepository
from infrastructure.persistence.memory.transaction import TransactionStateError
from infrastructure.persistence.memory.unit_of_work import InMemoryUnitOfWork
from infrastructure.persistence.memory.users import InMemoryUserRepository

__all__ = [
    "InMemoryCategoryRepository",
    "InMemoryDatabaseProbe",
    "InMemoryJobRepository",
    "InMemoryStore",
    "InMemoryTaskRepository",
    "InMemoryUnitOfWork",
    "InMemoryUserRepository",
    "TransactionStateError",
    "job_counts",
]
