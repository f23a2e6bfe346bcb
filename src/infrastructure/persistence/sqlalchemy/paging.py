"""One page and its total in one query, with a window count."""

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.paging import Page, PageWindow
from infrastructure.persistence.sqlalchemy.execution import execute

T = TypeVar("T")
_TOTAL = "_total"


async def fetch_page(
    connection: AsyncConnection,
    statement: Select[Any],
    window: PageWindow,
    to_entity: Callable[[Any], T],
) -> Page[T]:
    """Run the filtered, ordered ``statement`` for ``window``.

    ``count(*) OVER ()`` is computed before LIMIT, so every row carries the total. Only a
    page past the end comes back empty and needs a second query for it.
    """
    paged = (
        statement.add_columns(func.count().over().label(_TOTAL))
        .limit(window.limit)
        .offset(window.offset)
    )
    rows = (await execute(connection, paged)).mappings().all()
    if rows:
        total = int(rows[0][_TOTAL])
    elif window.offset == 0:
        total = 0
    else:
        counted = select(func.count()).select_from(statement.order_by(None).subquery())
        total = int((await execute(connection, counted)).scalar_one())
    return Page(
        items=[to_entity(row) for row in rows],
        total=total,
        limit=window.limit,
        offset=window.offset,
    )
