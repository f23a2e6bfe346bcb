"""The database error translation names why a request cannot be served (for metrics)."""

import sqlite3

import pytest
from sqlalchemy import exc as sa_exc

from domain.errors import TransientError, UnavailableCause, UnavailableError
from infrastructure.persistence.sqlalchemy.errors import translate_error


class _Driver(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _dbapi(sqlstate: str) -> sa_exc.DBAPIError:
    return sa_exc.DBAPIError("SELECT 1", None, _Driver(sqlstate))


def _cause(error: BaseException) -> UnavailableCause:
    translated = translate_error(error)
    assert isinstance(translated, UnavailableError), translated
    return translated.cause


def test_a_pool_timeout_is_pool_exhaustion() -> None:
    assert _cause(sa_exc.TimeoutError("QueuePool limit reached")) is UnavailableCause.POOL_EXHAUSTED


def test_a_refused_connection_is_the_database_down() -> None:
    assert _cause(ConnectionRefusedError("refused")) is UnavailableCause.DATABASE_DOWN


@pytest.mark.parametrize("sqlstate", ["08006", "57P01"])
def test_connection_states_are_the_database_down(sqlstate: str) -> None:
    translated = translate_error(_dbapi(sqlstate))
    assert isinstance(translated, TransientError)
    assert translated.code == sqlstate
    assert translated.cause is UnavailableCause.DATABASE_DOWN


@pytest.mark.parametrize("sqlstate", ["40001", "40P01", "55P03"])
def test_contention_gives_up_as_retries_exhausted(sqlstate: str) -> None:
    translated = translate_error(_dbapi(sqlstate))
    assert isinstance(translated, TransientError)
    assert translated.cause is UnavailableCause.RETRIES_EXHAUSTED


def test_a_busy_sqlite_file_is_database_busy() -> None:
    busy = sqlite3.OperationalError("database is locked")
    busy.sqlite_errorcode = 5
    error = sa_exc.OperationalError("INSERT", None, busy)
    assert _cause(error) is UnavailableCause.DATABASE_BUSY
