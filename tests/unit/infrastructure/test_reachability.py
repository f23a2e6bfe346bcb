"""Failed first connections in words: where (never the password) and why."""

import socket
import sqlite3
import ssl

import pytest

from infrastructure.database_url import describe_location
from infrastructure.persistence.sqlalchemy.reachability import explain


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("postgresql://u:hunter2@db.example:6432/app", "db.example:6432/app"),
        ("postgresql+asyncpg://u:***@db.example/app?sslmode=require", "db.example:5432/app"),
        ("postgres://tasklane@localhost", "localhost:5432/tasklane"),
        ("sqlite+aiosqlite:///./data/tasklane.db", "./data/tasklane.db"),
        ("sqlite:////var/lib/tasklane/tasklane.db", "/var/lib/tasklane/tasklane.db"),
    ],
)
def test_the_location_names_host_port_and_database_only(url: str, location: str) -> None:
    assert describe_location(url) == location


class _ServerRefusal(Exception):
    def __init__(self, sqlstate: str, message: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def _wrapped(cause: BaseException) -> Exception:
    """``cause`` as SQLAlchemy delivers it: raised from within another error."""
    try:
        try:
            raise cause
        except BaseException as error:
            raise RuntimeError("(sqlalchemy.dialects.postgresql.asyncpg.Error) ...") from error
    except RuntimeError as wrapper:
        return wrapper


@pytest.mark.parametrize(
    ("cause", "words"),
    [
        (ConnectionRefusedError(111, "Connect call failed"), "connection refused (is PostgreSQL"),
        (TimeoutError(), "timed out (no answer within DATABASE_TIMEOUT: is the host right"),
        (_ServerRefusal("3D000", 'database "x" does not exist'), "no such database"),
        (
            _ServerRefusal("28P01", 'password authentication failed for user "u"'),
            'authentication failed (password authentication failed for user "u"): check the',
        ),
        (
            ConnectionError('PostgreSQL server at "h:5432" rejected SSL upgrade'),
            "the server does not accept SSL: drop sslmode=require or enable SSL on the server",
        ),
        (
            ssl.SSLCertVerificationError(1, "certificate verify failed"),
            "the server's certificate failed verification",
        ),
        (socket.gaierror(-2, "Name or service not known"), "the host name does not resolve"),
        (sqlite3.OperationalError("unable to open database file"), "cannot open the SQLite file"),
    ],
)
def test_causes_are_said_in_words(cause: BaseException, words: str) -> None:
    assert explain(_wrapped(cause)).startswith(words)
