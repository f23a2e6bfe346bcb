"""The unit-of-work port: one transaction, the repositories that work inside it."""

from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Protocol, Self

from domain.repositories import (
    CategoryRepository,
    JobRepository,
    RememberedResponses,
    TaskRepository,
    UserRepository,
)


class UnitOfWork(Protocol):
    """An async context manager around one transaction.

    ``async with uow:`` opens a fresh transaction (and session); leaving the block
    without ``commit()`` rolls back everything, as does an exception. The same
    object may be entered again after it has been left, each time afresh, which is
    how a whole unit of work is retried. The repositories are valid only inside the
    block. A failed commit raises: the caller must never assume it stored anything.
    """

    users: UserRepository
    categories: CategoryRepository
    tasks: TaskRepository
    jobs: JobRepository
    remembered: RememberedResponses

    def reading(self) -> Self:
        """This unit of work, for its next block only, as a reader: no transaction is
        held open, each query sees what was committed when it ran, and ``commit()`` is
        refused. For use cases that only read: it spares the store a BEGIN and a
        ROLLBACK. ``async with uow.reading():``.
        """
        ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None:
        """Make every write of this unit durable, or raise."""
        ...

    def savepoint(self) -> AbstractAsyncContextManager[None]:
        """A nested block: an exception inside discards only the block's writes and
        propagates; a clean exit keeps them within the outer unit.
        """
        ...
