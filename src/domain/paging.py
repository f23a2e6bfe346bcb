"""Paging for every list: which window of an ordered result to return, and the page."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from domain.errors import InvalidInputError

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

T = TypeVar("T")

# What a list is sorted by besides the id: a time, a text, or nothing (a missing due date).
SortValue = datetime | str | None


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ended in its order: the last item's sort value and id.

    The keyset rule, which every backend translates: an item comes after the position
    when its value sorts after ``value`` in the list's direction, items without a value
    (``None``) coming last either way; on equal values (or both missing), when its id
    does, in the same direction.
    """

    value: SortValue
    id: int

    def precedes(self, value: SortValue, item_id: int, *, descending: bool) -> bool:
        """Whether the item with ``value`` and ``item_id`` comes after this position."""
        if (value is None) != (self.value is None):
            return value is None
        if value is None or value == self.value:
            return item_id < self.id if descending else item_id > self.id
        assert self.value is not None
        # Values of one list are all times or all texts.
        return bool(value < self.value) if descending else bool(value > self.value)  # type: ignore[operator]


@dataclass(frozen=True, slots=True)
class PageWindow:
    """Which slice of an ordered result to return: ``limit`` items skipping ``offset``,
    or, with ``after``, the ``limit`` items that follow that position (``offset`` 0).
    """

    limit: int = DEFAULT_PAGE_SIZE
    offset: int = 0
    after: Position | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_PAGE_SIZE:
            raise InvalidInputError.for_field("limit", f"must be 1 to {MAX_PAGE_SIZE}")
        if self.offset < 0:
            raise InvalidInputError.for_field("offset", "must be 0 or more")
        if self.after is not None and self.offset:
            raise InvalidInputError.for_field("offset", "cannot be combined with a position")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One window of an ordered result, the size of the whole result, and whether more
    items follow the window (so that the next page can start after the last item).
    """

    items: Sequence[T]
    total: int
    limit: int
    offset: int
    more: bool = False
