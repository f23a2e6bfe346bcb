"""Cursors: positions survive the round trip; a cursor opens only for its user and list."""

import uuid
from datetime import UTC, datetime

import pytest

from domain.errors import InvalidInputError
from domain.ids import UserId
from domain.paging import Page, Position
from interfaces.http.cursors import NOT_OURS, OTHER_LIST, WITH_OFFSET, CursorCodec

ALICE = UserId(uuid.uuid4())
BOB = UserId(uuid.uuid4())
FILTERS = ("title", True, None, "high", "report")
codec = CursorCodec(b"k" * 32)


@pytest.mark.parametrize(
    "position",
    [
        Position(datetime(2030, 6, 1, 12, 0, 0, 123456, tzinfo=UTC), 7),
        Position(datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), 2**63 - 1),
        Position("🙂" * 200, 1),
        Position("", 3),
        Position(None, 42),
    ],
)
def test_a_position_survives_the_round_trip(position: Position) -> None:
    cursor = codec.seal(ALICE, FILTERS, position)
    assert cursor.isascii()
    assert "=" not in cursor
    assert codec.open(cursor, ALICE, FILTERS) == position


def _refused(cursor: str, owner: UserId = ALICE, filters: object = FILTERS) -> str:
    with pytest.raises(InvalidInputError) as raised:
        codec.open(cursor, owner, filters)
    assert [problem.field for problem in raised.value.problems] == ["cursor"]
    return raised.value.problems[0].message


def test_a_cursor_opens_only_for_its_user_its_list_and_its_key() -> None:
    cursor = codec.seal(ALICE, FILTERS, Position("x", 1))
    assert _refused(cursor, BOB) == NOT_OURS
    assert _refused(cursor, ALICE, ("title", True, None, "high", "REPORT")) == OTHER_LIST
    assert _refused(cursor, ALICE, ("-title", True, None, "high", "report")) == OTHER_LIST
    with pytest.raises(InvalidInputError):
        CursorCodec(b"o" * 32).open(cursor, ALICE, FILTERS)


def test_every_altered_byte_is_noticed() -> None:
    cursor = codec.seal(ALICE, FILTERS, Position(datetime(2030, 1, 1, tzinfo=UTC), 9))
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for index in range(len(cursor) - 1):
        other = alphabet[(alphabet.index(cursor[index]) + 1) % len(alphabet)]
        assert _refused(cursor[:index] + other + cursor[index + 1 :]) == NOT_OURS


@pytest.mark.parametrize("cursor", ["", "A", "AAAA", "a+b/", "YQ==", "x" * 2049, " abc"])
def test_malformed_cursors_are_refused(cursor: str) -> None:
    assert _refused(cursor) == NOT_OURS


def test_the_window_refuses_a_cursor_with_an_offset() -> None:
    cursor = codec.seal(ALICE, FILTERS, Position(None, 1))
    window = codec.window(ALICE, FILTERS, (10, 0), False, cursor)
    assert (window.limit, window.offset, window.after) == (10, 0, Position(None, 1))
    with pytest.raises(InvalidInputError) as raised:
        codec.window(ALICE, FILTERS, (10, 0), True, cursor)
    assert raised.value.problems[0].message == WITH_OFFSET
    assert codec.window(ALICE, FILTERS, (10, 5), True, None).offset == 5


def test_only_a_page_with_more_after_it_has_a_next_cursor() -> None:
    def position_of(item: int) -> Position:
        return Position(None, item)

    full = Page([1, 2], total=5, limit=2, offset=0, more=True)
    cursor = codec.next_cursor(ALICE, FILTERS, full, position_of)
    assert cursor is not None
    assert codec.open(cursor, ALICE, FILTERS) == Position(None, 2)
    last = Page([3], total=5, limit=2, offset=0, more=False)
    assert codec.next_cursor(ALICE, FILTERS, last, position_of) is None
