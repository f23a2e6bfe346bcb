"""Translate driver errors into domain errors, by SQLSTATE and exception type."""

import re
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Final

from sqlalchemy import exc as sa_exc

from domain.category import NAME_TAKEN
from domain.errors import (
    AuthenticationError,
    ConflictError,
    DomainError,
    TransientError,
    UnavailableCause,
    UnavailableError,
)
from domain.task import not_your_category
from domain.user import EMAIL_TAKEN, NO_SUCH_USER
from infrastructure.persistence.sqlalchemy.records import (
    CATEGORIES_NAME_UNIQUE,
    TASKS_CATEGORY_FK,
    USER_FOREIGN_KEYS,
    USERS_EMAIL_UNIQUE,
)

_UNIQUE_MESSAGES = {
    USERS_EMAIL_UNIQUE: EMAIL_TAKEN,
    CATEGORIES_NAME_UNIQUE: NAME_TAKEN,
}
# SQLite names an expression index by its name, a column index by its columns.
_SQLITE_UNIQUE_MESSAGES = {
    **_UNIQUE_MESSAGES,
    "categories.user_id, categories.name_key": NAME_TAKEN,
}
_UNIQUE_VIOLATION = "23505"
_FOREIGN_KEY_VIOLATION = "23503"
# A fresh attempt of the whole unit of work may succeed after these: the server aborted
# the transaction (serialization failure, deadlock, lock not available), cancelled the
# statement (57014: pg_cancel_backend, statement_timeout), is shutting down or
# restarting (57P0x), ended the session on a timeout (57P05 idle session, 25P03 idle in
# transaction), or has no connection slot free (53300); and the whole
# connection-exception class 08.
_TRANSIENT_STATES = frozenset(
    {"40001", "40P01", "55P03", "57014", "57P01", "57P02", "57P03", "57P05", "25P03", "53300"}
)
_UNAVAILABLE = "the database is unavailable, try again later"
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
_SQLITE_CONSTRAINT_FOREIGNKEY = 787
_SQLITE_CONSTRAINT_UNIQUE = 2067
_INSERT = re.compile(r"\s*INSERT INTO (?P<table>\w+) \((?P<columns>[^)]*)\)", re.IGNORECASE)
_UNKNOWN: Final = object()


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error, the driver error SQLAlchemy wraps, and their causes."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.append(getattr(current, "orig", None))
        pending.append(current.__cause__)


def _sqlstate(error: BaseException) -> str | None:
    for current in _chain(error):
        state = getattr(current, "sqlstate", None) or getattr(current, "pgcode", None)
        if isinstance(state, str):
            return state
    return None


def _constraint(error: BaseException) -> str | None:
    for current in _chain(error):
        name = getattr(current, "constraint_name", None)
        if isinstance(name, str):
            return name
    return None


def _sqlite_error(error: BaseException) -> sqlite3.Error | None:
    return next((e for e in _chain(error) if isinstance(e, sqlite3.Error)), None)


def _is_pool_timeout(error: BaseException) -> bool:
    # The request already waited the pool timeout: answer now, do not wait again.
    return any(isinstance(current, sa_exc.TimeoutError) for current in _chain(error))


def _lost_connection(error: BaseException) -> str | None:
    """The name of the connection failure behind ``error``, if that is what it is."""
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return "connection_invalidated"
    for current in _chain(error):
        name = type(current).__name__
        if isinstance(current, OSError | TimeoutError):
            return name  # refused, reset, unreachable; a connect or command timeout
        if type(current).__module__.startswith("asyncpg") and name in (
            "ConnectionDoesNotExistError",
            "InterfaceError",
            "ConnectionFailureError",
        ):
            return name
    return None


def _sqlite_foreign_key(error: BaseException) -> DomainError:
    """SQLite names no key: tell from the failed statement which one it can be. A
    category or a job references only its owner; a task also its category, if it has one.
    """
    statement = next((e for e in _chain(error) if isinstance(e, sa_exc.StatementError)), None)
    insert = _INSERT.match(statement.statement or "") if statement is not None else None
    if insert is not None and statement is not None:
        columns = [column.strip() for column in insert["columns"].split(",")]
        params = statement.params
        values: dict[str, object] = {}
        # aiosqlite takes positional parameters, in the statement's column order.
        if isinstance(params, tuple) and len(params) == len(columns):
            values = dict(zip(columns, params, strict=True))
        if insert["table"] != "tasks" or values.get("category_id", _UNKNOWN) is None:
            return AuthenticationError(NO_SUCH_USER)
    return not_your_category()


def _from_sqlite(error: sqlite3.Error, original: BaseException) -> DomainError | None:
    code = getattr(error, "sqlite_errorcode", None)
    busy = code is not None and code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    if isinstance(error, sqlite3.OperationalError) and busy:
        return UnavailableError("the database is busy, try again", UnavailableCause.DATABASE_BUSY)
    if not isinstance(error, sqlite3.IntegrityError):
        return None
    # sqlite3 names the violated index only in its message; nothing else carries it.
    text = str(error)
    if code == _SQLITE_CONSTRAINT_UNIQUE or "UNIQUE constraint failed" in text:
        for name, message in _SQLITE_UNIQUE_MESSAGES.items():
            if name in text:
                return ConflictError(message)
    if code == _SQLITE_CONSTRAINT_FOREIGNKEY:
        return _sqlite_foreign_key(original)
    return None


def translate_error(error: BaseException) -> DomainError | None:
    """The domain error ``error`` stands for, or ``None`` to let it propagate unchanged.

    Messages never carry SQL, parameters or server text.
    """
    if isinstance(error, DomainError):
        return None
    state = _sqlstate(error)
    if state == _UNIQUE_VIOLATION:
        message = _UNIQUE_MESSAGES.get(_constraint(error) or "")
        return ConflictError(message) if message else None
    if state == _FOREIGN_KEY_VIOLATION:
        constraint = _constraint(error)
        if constraint == TASKS_CATEGORY_FK:
            return not_your_category()
        if constraint in USER_FOREIGN_KEYS:
            # The authenticator checks first; this holds when its memory is stale.
            return AuthenticationError(NO_SUCH_USER)
        return None
    if state is not None and (state.startswith("08") or state.startswith("57P")):
        # The connection is gone or the server is shutting down / starting up.
        return TransientError(_UNAVAILABLE, code=state, cause=UnavailableCause.DATABASE_DOWN)
    if state is not None and state in _TRANSIENT_STATES:
        return TransientError(_UNAVAILABLE, code=state)
    sqlite_error = _sqlite_error(error)
    if sqlite_error is not None:
        translated = _from_sqlite(sqlite_error, error)
        if translated is not None:
            return translated
    if _is_pool_timeout(error):
        return UnavailableError(
            "no database connection free in time, try again later",
            UnavailableCause.POOL_EXHAUSTED,
        )
    lost = _lost_connection(error)
    if lost is not None:
        return TransientError(_UNAVAILABLE, code=lost, cause=UnavailableCause.DATABASE_DOWN)
    return None


class _DomainErrors:
    # A class rather than @contextmanager: it wraps every statement, and a generator
    # costs a few microseconds per block.
    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not isinstance(error, Exception):
            return
        translated = translate_error(error)
        if translated is not None:
            raise translated from error


_DOOR = _DomainErrors()


def domain_errors() -> AbstractContextManager[None]:
    """The one door out of the database: an error leaving the block leaves as the domain
    error it stands for (``translate_error``), at the call that caused it; any other
    error passes unchanged.
    """
    return _DOOR
