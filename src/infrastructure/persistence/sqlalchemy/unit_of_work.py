"""The SQLAlchemy unit of work: one pooled connection and transaction per ``async with``.

On an ``AsyncConnection`` rather than an ``AsyncSession``: the repositories run Core
statements only, and a session added its own begin, flush bookkeeping, rollback and
close to every request (measured: about a quarter of a cached read's time).
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any, NoReturn, Self, cast

from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.errors import TransientError, UnavailableCause, UnavailableError
from domain.repositories import (
    CategoryRepository,
    JobRepository,
    RememberedResponses,
    TaskRepository,
    UserRepository,
)
from infrastructure.persistence.sqlalchemy.categories import SqlAlchemyCategoryRepository
from infrastructure.persistence.sqlalchemy.errors import domain_errors
from infrastructure.persistence.sqlalchemy.greenlets import run_sync
from infrastructure.persistence.sqlalchemy.jobs import SqlAlchemyJobRepository
from infrastructure.persistence.sqlalchemy.remembered import SqlAlchemyRememberedResponses
from infrastructure.persistence.sqlalchemy.tasks import SqlAlchemyTaskRepository
from infrastructure.persistence.sqlalchemy.users import SqlAlchemyUserRepository

logger = logging.getLogger(__name__)

# The server reports these at COMMIT having rolled the transaction back: safe to retry.
_ABORTED = frozenset({"40001", "40P01"})
COMMIT_OUTCOME_UNKNOWN = (
    "the database connection was lost while committing; the change may not be stored"
)


class _OutsideBlock:
    """Stands in for the repositories outside ``async with``, where they must not run."""

    def __getattr__(self, name: str) -> NoReturn:
        raise RuntimeError("repositories are only usable inside `async with uow:`")


class SqlAlchemyUnitOfWork:
    """``UnitOfWork`` over an ``AsyncEngine``: each ``async with`` checks out a fresh
    connection and begins a transaction on it (enter again for another, never
    concurrently); ``reading()`` takes it from ``read_engine`` instead, in autocommit
    where the engine offers it. Database errors leave it as domain errors.
    """

    users: UserRepository
    categories: CategoryRepository
    tasks: TaskRepository
    jobs: JobRepository
    remembered: RememberedResponses

    def __init__(
        self,
        engine: AsyncEngine,
        read_engine: AsyncEngine | None = None,
    ) -> None:
        self._engine = engine
        self._read_engine = read_engine or engine
        self._reading = False
        self._connection: AsyncConnection | None = None
        self._detach_repositories()

    def _detach_repositories(self) -> None:
        outside = cast(Any, _OutsideBlock())
        self.users, self.categories, self.tasks, self.jobs = outside, outside, outside, outside
        self.remembered = outside

    def _current(self) -> AsyncConnection:
        if self._connection is None:
            raise RuntimeError("the unit of work is not entered")
        return self._connection

    async def __aenter__(self) -> Self:
        if self._connection is not None:
            raise RuntimeError("the unit of work is already entered")
        # Autocommit where the read engine offers it: a read starts nothing.
        engine = self._read_engine if self._reading else self._engine
        # The sync calls under AsyncConnection's, on reused greenlets (see greenlets).
        with domain_errors():
            connection = AsyncConnection(engine, await run_sync(engine.sync_engine.connect))
        if not self._reading:
            try:
                # Nothing is sent yet: the driver begins before the first statement.
                await run_sync(_sync(connection).begin)
            except BaseException:
                await _close(connection)
                raise
        self._connection = connection
        self.users = SqlAlchemyUserRepository(connection)
        self.categories = SqlAlchemyCategoryRepository(connection)
        self.tasks = SqlAlchemyTaskRepository(connection)
        self.jobs = SqlAlchemyJobRepository(connection)
        self.remembered = SqlAlchemyRememberedResponses(connection)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection = self._current()
        self._connection = None
        self._reading = False
        self._detach_repositories()
        try:
            # After commit() nothing is open; anything begun since is discarded too.
            if connection.in_transaction():
                await run_sync(_sync(connection).rollback)
        except Exception:
            # Nothing uncommitted survives a failed rollback either: the connection is
            # discarded. The block's own outcome is what the caller needs to see.
            logger.warning("rollback failed; discarding the connection", exc_info=True)
        finally:
            await _close(connection)

    def reading(self) -> Self:
        if self._connection is not None:
            raise RuntimeError("choose reading before entering the unit of work")
        self._reading = True
        return self

    async def commit(self) -> None:
        if self._reading:
            raise RuntimeError("a reading unit of work cannot commit")
        try:
            with domain_errors():
                await run_sync(_sync(self._current()).commit)
        except TransientError as error:
            if error.code in _ABORTED:
                raise
            # The connection went during COMMIT: the write may or may not be stored,
            # so replaying the unit of work could apply it twice. Answer 503 instead.
            logger.warning("commit outcome unknown (%s)", error.code)
            raise UnavailableError(
                COMMIT_OUTCOME_UNKNOWN, UnavailableCause.COMMIT_OUTCOME_UNKNOWN
            ) from error.__cause__

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A SAVEPOINT: an exception inside rolls back to it and propagates (translated)."""
        connection = self._current()
        with domain_errors():
            nested = await connection.begin_nested()
            try:
                yield
            except BaseException:
                if nested.is_active:
                    await nested.rollback()
                raise
            await nested.commit()


def _sync(connection: AsyncConnection) -> Connection:
    sync = connection.sync_connection
    assert sync is not None, "an entered unit of work holds a started connection"
    return sync


async def _close(connection: AsyncConnection) -> None:
    try:
        await run_sync(_sync(connection).close)
    except Exception:
        logger.warning("closing the connection failed; invalidating it", exc_info=True)
        try:
            await connection.invalidate()
        except Exception:
            logger.exception("invalidating the connection failed")
