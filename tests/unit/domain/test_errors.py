"""Domain errors carry what the HTTP layer needs: a detail, fields, an item index."""

from domain.errors import ConflictError, FieldProblem, InvalidInputError, ItemFailedError
from domain.ids import MAX_ID, is_storable_id


def test_field_error_names_its_field() -> None:
    error = InvalidInputError.for_field("title", "is too long")
    assert error.detail == "title: is too long"
    assert error.problems == (FieldProblem("title", "is too long"),)


def test_item_failure_keeps_index_and_cause() -> None:
    cause = ConflictError("category name already taken")
    error = ItemFailedError(3, cause)
    assert (error.index, error.cause) == (3, cause)
    assert error.detail == "item 3: category name already taken"


def test_storable_ids_are_positive_signed_64_bit() -> None:
    assert [is_storable_id(v) for v in (0, 1, MAX_ID, MAX_ID + 1, -1)] == [
        False,
        True,
        True,
        False,
        False,
    ]
