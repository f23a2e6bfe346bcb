"""The hot statements run straight on the asyncpg connection under a unit of work's
SQLAlchemy connection, prepared and cached by asyncpg; their rows come back as asyncpg
records, which the row mappers read by column name like SQLAlchemy's row mappings.

Why: under load most of a cached read's server time went to SQLAlchemy's execution and
result layers (greenlet switches, cursor wrappers, result processing), not to asyncpg.
Measured side by side with the base (shared bench, 1 round of 8 s, 32 connections): server
CPU per request 11-21 % lower for a read or a list page, 23-46 % for a create or an update.

The SQL is still the Core statement's, compiled by SQLAlchemy once per statement shape
(its cache key) into the text and parameter order asyncpg takes, and the column types'
bind and result processors run as SQLAlchemy runs them. The transaction is still the unit of
work's: on a writing one SQLAlchemy's begin is made real here (its asyncpg adapter
begins lazily, at the first statement) and commit and rollback stay SQLAlchemy's. Errors
leave through the one door (``domain_errors``), and a connection the driver lost, or a
statement interrupted halfway, is invalidated in SQLAlchemy's pool, as SQLAlchemy does.

Everything else takes the Core path: SQLite, a statement SQLAlchemy must expand per
call (``IN`` lists, literal binds), and an engine with cursor event listeners
(tracing, statement counting), which only SQLAlchemy's own execution fires.
"""

import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import ClauseElement
from sqlalchemy.util import LRUCache

from infrastructure.persistence.sqlalchemy.errors import domain_errors
from infrastructure.persistence.sqlalchemy.execution import execute
from infrastructure.persistence.sqlalchemy.greenlets import run_sync
from infrastructure.persistence.sqlalchemy.reads import reads_outside_transaction

# Statement shapes kept compiled per dialect: the repositories have a few dozen.
_SHAPES_KEPT = 500


@dataclass(frozen=True, slots=True)
class _Compiled:
    """What asyncpg needs of one compiled statement shape."""

    sql: str
    compiled: Any
    order: tuple[str, ...]
    processors: Mapping[str, Callable[[Any], Any]]
    # The result columns' processors, by position: the types' own rules for what they
    # read back (e.g. a timestamp asyncpg returns naive, at the calendar's ends).
    results: tuple[tuple[int, Callable[[Any], Any]], ...]


_COMPILED: "weakref.WeakKeyDictionary[Dialect, LRUCache[Any, _Compiled | None]]" = (
    weakref.WeakKeyDictionary()
)


def _compiled(dialect: Dialect, statement: ClauseElement, key: Any) -> _Compiled | None:
    """``statement`` compiled for ``dialect``, or ``None`` when it needs per-call expansion."""
    shapes = _COMPILED.get(dialect)
    if shapes is None:
        shapes = _COMPILED[dialect] = LRUCache(_SHAPES_KEPT)
    # The key's structure, without the values it extracted from this call.
    if key.key in shapes:
        return shapes[key.key]
    compiled: Any = statement.compile(dialect=dialect, cache_key=key)
    plain = not (
        compiled.literal_execute_params
        or compiled.post_compile_params
        or compiled.escaped_bind_names
        or compiled.positiontup is None
    )
    entry = None
    if plain:
        results = tuple(
            (index, processor)
            for index, column in enumerate(compiled._result_columns)
            if (processor := column.type._cached_result_processor(dialect, None)) is not None
        )
        order = tuple(compiled.positiontup)
        entry = _Compiled(compiled.string, compiled, order, compiled._bind_processors, results)
    shapes[key.key] = entry
    return entry


def _arguments(entry: _Compiled, key: Any, parameters: Mapping[str, Any] | None) -> list[Any]:
    values = entry.compiled.construct_params(
        params=parameters, extracted_parameters=key.bindparams, escape_names=False
    )
    processors = entry.processors
    return [
        processors[name](values[name]) if name in processors else values[name]
        for name in entry.order
    ]


class Prepared:
    """A Core statement built once, every value bound per call by name: its cache key is
    taken once too (walking a statement for its key cost as much as running it on asyncpg).
    """

    __slots__ = ("key", "statement")

    def __init__(self, statement: Executable) -> None:
        assert isinstance(statement, ClauseElement)
        key = statement._generate_cache_key()
        if key is None:
            raise ValueError("the statement has no cache key: it cannot be prepared")
        self.statement = statement
        self.key = key


def _observed(connection: AsyncConnection) -> bool:
    """Whether listeners watch this connection's statements (they see SQLAlchemy's only)."""
    sync = connection.sync_connection
    return sync is None or bool(sync.dispatch.before_cursor_execute)


async def fetch_rows(
    connection: AsyncConnection,
    statement: Executable | Prepared,
    parameters: Mapping[str, Any] | None = None,
) -> Sequence[Any]:
    """The rows of ``statement`` (columns readable by name), on the driver's connection
    where it is asyncpg; through ``execute`` otherwise. Errors leave as domain errors.
    """
    prepared = statement if isinstance(statement, Prepared) else None
    clause = prepared.statement if prepared is not None else statement
    assert isinstance(clause, Executable)
    if connection.dialect.driver != "asyncpg" or _observed(connection):
        return (await execute(connection, clause, parameters)).mappings().all()
    assert isinstance(clause, ClauseElement)
    key = prepared.key if prepared is not None else clause._generate_cache_key()
    entry = None if key is None else _compiled(connection.dialect, clause, key)
    if entry is None:
        return (await execute(connection, clause, parameters)).mappings().all()
    arguments = _arguments(entry, key, parameters)
    with domain_errors():
        records = await _run(connection, entry.sql, arguments)
    return _processed(records, entry.results)


def _processed(
    records: Sequence[Any], results: tuple[tuple[int, Callable[[Any], Any]], ...]
) -> Sequence[Any]:
    """The records as rows by column name, each value through its type's processor."""
    if not results or not records:
        return records
    names = tuple(records[0].keys())
    rows = []
    for record in records:
        values = list(record.values())
        for index, process in results:
            values[index] = process(values[index])
        rows.append(dict(zip(names, values, strict=True)))
    return rows


async def _run(connection: AsyncConnection, sql: str, arguments: Sequence[Any]) -> Sequence[Any]:
    sync = connection.sync_connection
    if sync is None or sync.closed or sync.invalidated:
        pooled = await connection.get_raw_connection()  # raises as SQLAlchemy would
    else:
        # Open and valid: the property hands over the pooled connection without I/O, so
        # no greenlet is spawned for it as ``get_raw_connection`` does.
        pooled = sync.connection
    started = connection.sync_connection
    assert started is not None, "the raw connection is checked out by now"
    adapted: Any = pooled.dbapi_connection
    # A reading connection's statement runs on its own, in autocommit (see reads).
    alone = adapted.autocommit or reads_outside_transaction(started)
    if not alone and not started.in_transaction():
        # As SQLAlchemy autobegins before a statement: its commit or rollback ends this.
        # On a reused greenlet, as the unit of work's own calls (see greenlets).
        await run_sync(started.begin)
    driver = adapted.driver_connection
    try:
        async with adapted._execute_mutex:
            if not alone and adapted._transaction is None:
                # SQLAlchemy's BEGIN on asyncpg waits for the first statement: send it now,
                # with the isolation level the adapter holds.
                await adapted._start_transaction()
            if not alone and not driver.is_in_transaction():
                raise RuntimeError("no transaction open on a unit of work that writes")
            rows: Sequence[Any] = await driver.fetch(sql, *arguments)
            return rows
    except BaseException as error:
        # SQLAlchemy invalidates a connection the driver closed, or one interrupted mid
        # statement (cancelled): its protocol state is unknown, it must not be reused.
        closed = driver.is_closed()
        if closed or not isinstance(error, Exception):
            adapted._transaction = None
            await connection.invalidate(error if isinstance(error, Exception) else None)
        if closed and isinstance(error, Exception):
            # Whatever the driver raised (a server's goodbye can surface as a protocol
            # error), a closed connection is a lost one, as SQLAlchemy reports it.
            raise sa_exc.DBAPIError(None, None, error, connection_invalidated=True) from error
        raise
