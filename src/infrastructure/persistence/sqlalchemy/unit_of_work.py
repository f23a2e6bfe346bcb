"""The SQLAlchemy unit of work: one session and transaction per ``async with``."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any, NoReturn, Self, cast

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

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
    """``UnitOfWork`` over an ``async_sessionmaker``: enter again for a fresh session,
    never concurrently. Database errors leave it as domain errors.
    """

    users: UserRepository
    categories: CategoryRepository
    tasks: TaskRepository
    jobs: JobRepository
    remembered: RememberedResponses

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        read_session_factory: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._read_session_factory = read_session_factory or session_factory
        self._reading = False
        self._session: AsyncSession | None = None
        self._detach_repositories()

    def _detach_repositories(self) -> None:
        outside = cast(Any, _OutsideBlock())
        self.users, self.categories, self.tasks, self.jobs = outside, outside, outside, outside
        self.remembered = outside

    def _current(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is not entered")
        return self._session

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("the unit of work is already entered")
        if self._reading:
            # Autocommit where the engine offers it: the first query starts nothing.
            session = self._read_session_factory()
        else:
            session = self._session_factory()
            await session.begin()
        self._session = session
        self.users = SqlAlchemyUserRepository(session)
        self.categories = SqlAlchemyCategoryRepository(session)
        self.tasks = SqlAlchemyTaskRepository(session)
        self.jobs = SqlAlchemyJobRepository(session)
        self.remembered = SqlAlchemyRememberedResponses(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self._current()
        self._session = None
        self._reading = False
        self._detach_repositories()
        try:
            # After commit() nothing is open; anything begun since is discarded too.
            if session.in_transaction():
                await session.rollback()
        except Exception:
            # Nothing uncommitted survives a failed rollback either: the connection is
            # discarded. The block's own outcome is what the caller needs to see.
            logger.warning("rollback failed; discarding the connection", exc_info=True)
        finally:
            await _close(session)

    def reading(self) -> Self:
        if self._session is not None:
            raise RuntimeError("choose reading before entering the unit of work")
        self._reading = True
        return self

    async def commit(self) -> None:
        if self._reading:
            raise RuntimeError("a reading unit of work cannot commit")
        try:
            with domain_errors():
                await self._current().commit()
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
        session = self._current()
        with domain_errors():
            nested = await session.begin_nested()
            try:
                yield
            except BaseException:
                if nested.is_active:
                    await nested.rollback()
                raise
            await nested.commit()


async def _close(session: AsyncSession) -> None:
    try:
        await session.close()
    except Exception:
        logger.warning("closing the session failed; invalidating it", exc_info=True)
        try:
            await session.invalidate()
        except Exception:
            logger.exception("invalidating the session failed")
