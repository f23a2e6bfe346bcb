"""One page and its total, in one query (two where the rows after a position span two
index ranges).
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import Integer, Select, bindparam, func
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.paging import Page, PageWindow
from infrastructure.persistence.sqlalchemy.direct import Prepared, fetch_rows
from infrastructure.persistence.sqlalchemy.keyset import Stretch

T = TypeVar("T")
_TOTAL = "_total"
_LIMIT = "page_limit"
_OFFSET = "page_offset"


class Listing:
    """A filtered, ordered statement whose values are all named parameters, with its
    page (the total column, ``LIMIT`` and ``OFFSET``) and its count built once: a hot
    listing then skips statement construction and cache-key generation per request,
    which cost more than the rest of the repository's work for a page.
    """

    __slots__ = ("count", "page", "statement")

    def __init__(self, statement: Select[Any], *, prepare: bool = True) -> None:
        self.statement = statement
        page, count = _paged(statement), _count(statement)
        # Unprepared: a statement built per call (the admin listings) gains nothing from
        # taking its cache keys now.
        self.page: Select[Any] | Prepared = Prepared(page) if prepare else page
        self.count: Select[Any] | Prepared = Prepared(count) if prepare else count


async def fetch_page(
    connection: AsyncConnection,
    statement: Select[Any] | Listing,
    window: PageWindow,
    to_entity: Callable[[Any], T],
    following: Sequence[Stretch] = (),
    parameters: Mapping[str, Any] | None = None,
) -> Page[T]:
    """Run the filtered, ordered ``statement`` (with its named ``parameters``) for
    ``window``; with ``following`` (the keyset stretches of ``window.after``), the rows
    after that position.

    The total rides on every row as ``(SELECT count(*) ...)``, which the database runs
    once, apart from the page (one round trip, one snapshot): on PostgreSQL an
    index-only count, where a window ``count(*) OVER ()`` had to materialise every
    matching row before the LIMIT (100,000 rows: 45.9 ms of database CPU per page).
    After a position, one row more than the page tells whether another page follows.
    Only a page past the end comes back empty and needs a second query for its total.
    """
    listing = statement if isinstance(statement, Listing) else Listing(statement, prepare=False)
    rows: Sequence[Any]
    if following:
        rows = await _after(connection, listing.statement, window.limit + 1, following, parameters)
    else:
        values = {**(parameters or {}), _LIMIT: window.limit, _OFFSET: window.offset}
        rows = await fetch_rows(connection, listing.page, values)
    if rows:
        total = int(rows[0][_TOTAL])
    elif window.offset == 0 and not following:
        total = 0
    else:
        total = int((await fetch_rows(connection, listing.count, parameters))[0][_TOTAL])
    more = len(rows) > window.limit if following else window.offset + len(rows) < total
    return Page(
        items=[to_entity(row) for row in rows[: window.limit]],
        total=total,
        limit=window.limit,
        offset=window.offset,
        more=more,
    )


async def _after(
    connection: AsyncConnection,
    statement: Select[Any],
    wanted: int,
    stretches: Sequence[Stretch],
    parameters: Mapping[str, Any] | None,
) -> list[Any]:
    """Up to ``wanted`` rows from the stretches in turn, each read in its index order."""
    total_column = _count(statement).scalar_subquery().label(_TOTAL)
    rows: list[Any] = []
    for stretch in stretches:
        part = (
            statement.where(stretch.where)
            .order_by(None)
            .order_by(*stretch.order_by)
            .limit(wanted - len(rows))
            .add_columns(total_column)
        )
        rows += await fetch_rows(connection, part, parameters)
        if len(rows) >= wanted:
            break
    return rows


def _paged(statement: Select[Any]) -> Select[Any]:
    """``statement`` with the total on every row, from ``:page_offset`` for ``:page_limit``."""
    total = _count(statement).scalar_subquery().label(_TOTAL)
    return (
        statement.add_columns(total)
        .limit(bindparam(_LIMIT, type_=Integer))
        .offset(bindparam(_OFFSET, type_=Integer))
    )


def _count(statement: Select[Any]) -> Select[Any]:
    counted = func.count().label(_TOTAL)
    return statement.with_only_columns(counted, maintain_column_froms=True).order_by(None)
