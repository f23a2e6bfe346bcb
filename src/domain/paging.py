"""Paging for every list: which window of an ordered result to return, and the page."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.errors import InvalidInputError

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PageWindow:
    """Which slice of an ordered result to return."""

    limit: int = DEFAULT_PAGE_SIZE
    offset: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_PAGE_SIZE:
            raise InvalidInputError.for_field("limit", f"must be 1 to {MAX_PAGE_SIZE}")
        if self.offset < 0:
            raise InvalidInputError.for_field("offset", "must be 0 or more")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One window of an ordered result and the size of the whole result."""

    items: Sequence[T]
    total: int
    limit: int
    offset: int
