"""SQLite connection set-up: real transactions, savepoints, foreign keys, queued writers."""

import os
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.engine.url import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.text import fold_case
from infrastructure.settings import SettingsError

# Registered on every connection: SQLite's own lower() folds ASCII letters only.
FOLD_FUNCTION = "tasklane_fold"


def sqlite_file(url: str) -> Path | None:
    """The database file ``url`` names, or ``None`` for an in-memory database."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database)


def is_memory(url: str) -> bool:
    """Whether ``url`` names an in-memory SQLite database."""
    return sqlite_file(url) is None


def prepare_sqlite_file(url: str) -> None:
    """Create the directory of a file database, so a fresh checkout just runs; refuse,
    naming the setting, a file that is a directory or that this user may not write.
    """
    path = sqlite_file(url)
    if path is None:
        return
    path = path.absolute()
    if path.is_dir():
        raise SettingsError(
            f"DATABASE_URL names the directory {path}, not a file: "
            f"use e.g. sqlite:///{path}/tasklane.db"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # FileExistsError included: a file stands in the way
        raise SettingsError(
            f"cannot create {path.parent} ({error.strerror}): {_WRITABLE}"
        ) from None
    # SQLite writes the file and, in WAL mode, two more beside it.
    for needed in (path, path.parent) if path.exists() else (path.parent,):
        if not os.access(needed, os.W_OK):
            raise SettingsError(f"this user may not write {needed}: {_WRITABLE}")


_WRITABLE = "set DATABASE_URL, or DATA_DIR, to a directory this user may write"


def install_sqlite_listeners(engine: AsyncEngine, *, busy_timeout_s: float, memory: bool) -> None:
    """SQLAlchemy's documented pysqlite/aiosqlite recipe, plus our pragmas.

    The driver's own transaction handling delays BEGIN until the first write, so a
    SAVEPOINT before any write starts no transaction and released savepoints survive
    the outer rollback. Emitting BEGIN ourselves fixes that; IMMEDIATE takes the
    write lock up front so concurrent writers wait on ``busy_timeout`` instead of
    failing with "database is locked" when a read lock cannot be upgraded.
    """
    busy_ms = max(1, int(busy_timeout_s * 1000))

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.create_function(FOLD_FUNCTION, 1, _fold, deterministic=True)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
        finally:
            cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _fold(value: str | None) -> str | None:
    return None if value is None else fold_case(value)
