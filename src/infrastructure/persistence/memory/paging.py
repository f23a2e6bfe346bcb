"""A window of an ordered list of values, by offset or after a position."""

from collections.abc import Callable, Sequence
from typing import TypeVar

from domain.paging import Page, PageWindow, Position

T = TypeVar("T")


def window_of(
    ordered: Sequence[T],
    window: PageWindow,
    position_of: Callable[[T], Position],
    descending: bool = False,
) -> Page[T]:
    """The page of ``ordered`` (the whole filtered list, in order) that ``window`` names.

    After a position, the items are those the domain's keyset rule puts after it, so an
    item deleted meanwhile moves nothing; ``total`` still counts the whole list.
    """
    after = window.after
    rest = (
        ordered
        if after is None
        else [item for item in ordered if _follows(after, position_of(item), descending)]
    )
    end = window.offset + window.limit
    return Page(
        rest[window.offset : end], len(ordered), window.limit, window.offset, end < len(rest)
    )


def _follows(after: Position, item: Position, descending: bool) -> bool:
    return after.precedes(item.value, item.id, descending=descending)
