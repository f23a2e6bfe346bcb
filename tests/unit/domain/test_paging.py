"""The keyset rule: what comes after a position, each way, undated items last."""

from datetime import UTC, datetime

import pytest

from domain.errors import InvalidInputError
from domain.paging import PageWindow, Position

EARLY = datetime(2030, 1, 1, tzinfo=UTC)
LATE = datetime(2030, 1, 2, tzinfo=UTC)


@pytest.mark.parametrize(
    ("position", "value", "item_id", "ascending", "descending"),
    [
        (Position(EARLY, 5), LATE, 1, True, False),
        (Position(LATE, 5), EARLY, 9, False, True),
        # Equal values: the id decides, the same way.
        (Position(EARLY, 5), EARLY, 6, True, False),
        (Position(EARLY, 5), EARLY, 4, False, True),
        (Position(EARLY, 5), EARLY, 5, False, False),
        # Missing values come last either way, by id among themselves.
        (Position(EARLY, 5), None, 1, True, True),
        (Position(None, 5), EARLY, 9, False, False),
        (Position(None, 5), None, 6, True, False),
        (Position(None, 5), None, 4, False, True),
        ("b", "a", 1, False, True),
        ("a", "é", 1, True, False),
    ],
)
def test_what_comes_after_a_position(
    position: Position | str,
    value: datetime | str | None,
    item_id: int,
    ascending: bool,
    descending: bool,
) -> None:
    at = position if isinstance(position, Position) else Position(position, 5)
    assert at.precedes(value, item_id, descending=False) is ascending
    assert at.precedes(value, item_id, descending=True) is descending


def test_a_window_after_a_position_has_no_offset() -> None:
    assert PageWindow(5, after=Position(None, 1)).offset == 0
    with pytest.raises(InvalidInputError):
        PageWindow(5, 3, Position(None, 1))
