"""The in-memory unit of work: one at a time per store, undone unless committed."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from types import TracebackType
from typing import Self

from domain.repositories import (
    CategoryRepository,
    JobRepository,
    RememberedResponses,
    TaskRepository,
    UserRepository,
)
from infrastructure.persistence.memory.categories import InMemoryCategoryRepository
from infrastructure.persistence.memory.jobs import InMemoryJobRepository
from infrastructure.persistence.memory.remembered import InMemoryRememberedResponses
from infrastructure.persistence.memory.store import InMemoryStore
from infrastructure.persistence.memory.tasks import InMemoryTaskRepository
from infrastructure.persistence.memory.transaction import (
    InMemoryTransaction,
    TransactionStateError,
)
from infrastructure.persistence.memory.users import InMemoryUserRepository


class InMemoryUnitOfWork:
    """Implements ``domain.unit_of_work.UnitOfWork``. Units on one store are serialised
    by the store's lock, held for the whole block: as strict as SERIALIZABLE, never a
    lost update.
    """

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store
        self._tx = InMemoryTransaction(store)
        self._reading = False
        self.users: UserRepository = InMemoryUserRepository(self._tx)
        self.categories: CategoryRepository = InMemoryCategoryRepository(self._tx)
        self.tasks: TaskRepository = InMemoryTaskRepository(self._tx)
        self.jobs: JobRepository = InMemoryJobRepository(self._tx)
        self.remembered: RememberedResponses = InMemoryRememberedResponses(self._tx)

    async def __aenter__(self) -> Self:
        if self._tx.active:
            raise TransactionStateError("this unit of work is already open")
        me = asyncio.current_task()
        if me is not None and self._store.holder is me:
            # The lock is not re-entrant: waiting here would hang forever.
            raise TransactionStateError("a unit of work on this store is already open here")
        await self._store.lock.acquire()
        self._store.holder = me
        self._tx.begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._reading = False
            self._tx.end()
        finally:
            self._store.holder = None
            self._store.lock.release()

    def reading(self) -> Self:
        # The store is read under the same lock either way; only commit is refused.
        self._reading = True
        return self

    async def commit(self) -> None:
        self._require_open()
        if self._reading:
            raise TransactionStateError("a reading unit of work cannot commit")
        self._tx.commit()

    def savepoint(self) -> AbstractAsyncContextManager[None]:
        return self._savepoint()

    @asynccontextmanager
    async def _savepoint(self) -> AsyncIterator[None]:
        self._require_open()
        mark = self._tx.mark()
        try:
            yield
        except BaseException:
            self._tx.rollback_to(mark)
            raise

    def _require_open(self) -> None:
        if not self._tx.active:
            raise TransactionStateError("the unit of work is not open")
