"""A count a store may keep in place: a number, or its expression for one (SQL's column)."""

from typing import Protocol, TypeVar

N_co = TypeVar("N_co", covariant=True)


class Counter(Protocol[N_co]):
    """Anything that counts up and down by whole steps: an ``int`` in memory, a column in
    SQL, where ``version = version + 1`` is computed in the row itself.
    """

    def __add__(self, other: int, /) -> N_co: ...

    def __sub__(self, other: int, /) -> N_co: ...
