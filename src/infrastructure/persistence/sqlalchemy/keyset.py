"""The domain's keyset rule (``domain.paging.Position``) as SQL: the rows after a position,
as conditions an index range can answer.
"""

import operator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, literal, tuple_

from domain.paging import Position


@dataclass(frozen=True, slots=True)
class Stretch:
    """Rows of the order that sit together in one index range, in their own order: the
    rows after a position are one stretch, or two (the dated ones, then the undated).
    """

    where: ColumnElement[bool]
    order_by: tuple[ColumnElement[Any], ...]


def following(
    position: Position,
    value: ColumnElement[Any] | None,
    item_id: ColumnElement[Any],
    *,
    descending: bool,
) -> list[Stretch]:
    """The rows after ``position`` in the order by ``value`` (``None``: by id alone),
    then id, both ``descending`` or not, rows without a value last either way.

    A row-value comparison, ``(value, id) > (:value, :id)``, is a range of the
    ``(owner, value, id)`` index on PostgreSQL and SQLite alike. One condition cannot
    also take in the rows without a value (they sit at one end of the index, whichever
    way the order runs), so those are a second stretch, read only when the first runs out.
    """
    beyond = operator.lt if descending else operator.gt

    def ordered(column: ColumnElement[Any]) -> ColumnElement[Any]:
        return column.desc() if descending else column.asc()

    by_id = ordered(item_id)
    if value is None:
        return [Stretch(beyond(item_id, position.id), (by_id,))]
    if position.value is None:
        # Past the last dated row: only undated ones are left, in id order.
        return [Stretch(and_(value.is_(None), beyond(item_id, position.id)), (by_id,))]
    start = tuple_(literal(position.value, value.type), literal(position.id, item_id.type))
    # Comparisons with NULL are never true: the rows without a value are left out here.
    later = Stretch(beyond(tuple_(value, item_id), start), (ordered(value), by_id))
    if not getattr(value, "nullable", False):
        return [later]
    return [later, Stretch(value.is_(None), (by_id,))]
