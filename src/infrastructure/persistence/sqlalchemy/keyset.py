"""The domain's keyset rule (``domain.paging.Position``) as a SQL condition."""

import operator
from typing import Any

from sqlalchemy import ColumnElement, and_, literal, or_, tuple_

from domain.paging import Position


def following(
    position: Position,
    value: ColumnElement[Any] | None,
    item_id: ColumnElement[Any],
    *,
    descending: bool,
) -> ColumnElement[bool]:
    """Rows that come after ``position`` in the order by ``value`` (``None``: by id
    alone), then id, both ``descending`` or not, rows without a value last either way.

    Written as a row-value comparison, which both PostgreSQL and SQLite turn into a
    range on the ``(owner, value, id)`` index rather than a filter over every row.
    """
    beyond = operator.lt if descending else operator.gt
    if value is None:
        by_id: ColumnElement[bool] = beyond(item_id, position.id)
        return by_id
    if position.value is None:
        # Past the last dated row: only the undated ones are left, in id order.
        return and_(value.is_(None), beyond(item_id, position.id))
    start = tuple_(literal(position.value, value.type), literal(position.id, item_id.type))
    later: ColumnElement[bool] = beyond(tuple_(value, item_id), start)
    nullable = getattr(value, "nullable", False)
    return or_(later, value.is_(None)) if nullable else later
