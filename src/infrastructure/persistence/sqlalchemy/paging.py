"""One page and its total, in one query (two where the rows after a position span two
index ranges).
"""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import RowMapping, Select, func
from sqlalchemy.ext.asyncio import AsyncSession

from domain.paging import Page, PageWindow
from infrastructure.persistence.sqlalchemy.execution import execute
from infrastructure.persistence.sqlalchemy.keyset import Stretch

T = TypeVar("T")
_TOTAL = "_total"


async def fetch_page(
    session: AsyncSession,
    statement: Select[Any],
    window: PageWindow,
    to_entity: Callable[[Any], T],
    following: Sequence[Stretch] = (),
) -> Page[T]:
    """Run the filtered, ordered ``statement`` for ``window``; with ``following`` (the
    keyset stretches of ``window.after``), the rows after that position.

    By offset, ``count(*) OVER ()`` is computed before LIMIT, so every row carries the
    total. After a position the conditions narrow the rows, so the total is a scalar
    subquery of the same statement (one round trip, one snapshot), and one row more than
    the page tells whether another page follows. Only a page past the end comes back
    empty and needs a second query for the total.
    """
    rows: Sequence[RowMapping]
    if following:
        rows = await _after(session, statement, window.limit + 1, following)
    else:
        paged = statement.limit(window.limit).offset(window.offset)
        total_column = func.count().over().label(_TOTAL)
        rows = (await execute(session, paged.add_columns(total_column))).mappings().all()
    if rows:
        total = int(rows[0][_TOTAL])
    elif window.offset == 0 and not following:
        total = 0
    else:
        total = int((await execute(session, _count(statement))).scalar_one())
    more = len(rows) > window.limit if following else window.offset + len(rows) < total
    return Page(
        items=[to_entity(row) for row in rows[: window.limit]],
        total=total,
        limit=window.limit,
        offset=window.offset,
        more=more,
    )


async def _after(
    session: AsyncSession, statement: Select[Any], wanted: int, stretches: Sequence[Stretch]
) -> list[RowMapping]:
    """Up to ``wanted`` rows from the stretches in turn, each read in its index order."""
    total_column = _count(statement).scalar_subquery().label(_TOTAL)
    rows: list[RowMapping] = []
    for stretch in stretches:
        part = (
            statement.where(stretch.where)
            .order_by(None)
            .order_by(*stretch.order_by)
            .limit(wanted - len(rows))
            .add_columns(total_column)
        )
        rows += (await execute(session, part)).mappings().all()
        if len(rows) >= wanted:
            break
    return rows


def _count(statement: Select[Any]) -> Select[Any]:
    return statement.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)
