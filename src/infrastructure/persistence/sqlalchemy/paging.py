"""One page and its total in one query."""

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func
from sqlalchemy.ext.asyncio import AsyncSession

from domain.paging import Page, PageWindow
from infrastructure.persistence.sqlalchemy.execution import execute

T = TypeVar("T")
_TOTAL = "_total"


async def fetch_page(
    session: AsyncSession,
    statement: Select[Any],
    window: PageWindow,
    to_entity: Callable[[Any], T],
    following: ColumnElement[bool] | None = None,
) -> Page[T]:
    """Run the filtered, ordered ``statement`` for ``window``; with ``following`` (the
    keyset condition of ``window.after``), the rows after that position.

    By offset, ``count(*) OVER ()`` is computed before LIMIT, so every row carries the
    total. After a position the condition narrows the rows, so the total is a scalar
    subquery of the same statement (one round trip, one snapshot), and one row more than
    the page tells whether another page follows. Only a page past the end comes back
    empty and needs a second query for the total.
    """
    total_column: ColumnElement[Any]
    if following is None:
        total_column = func.count().over()
        paged = statement.limit(window.limit).offset(window.offset)
    else:
        total_column = _count(statement).scalar_subquery()
        paged = statement.where(following).limit(window.limit + 1)
    rows = (await execute(session, paged.add_columns(total_column.label(_TOTAL)))).mappings().all()
    items = rows[: window.limit]
    if rows:
        total = int(rows[0][_TOTAL])
    elif window.offset == 0 and following is None:
        total = 0
    else:
        total = int((await execute(session, _count(statement))).scalar_one())
    more = len(rows) > window.limit if following is not None else window.offset + len(rows) < total
    return Page(
        items=[to_entity(row) for row in items],
        total=total,
        limit=window.limit,
        offset=window.offset,
        more=more,
    )


def _count(statement: Select[Any]) -> Select[Any]:
    return statement.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)
