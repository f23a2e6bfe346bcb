"""Text checks: lengths in code points, NUL refused."""

import pytest

from domain.errors import InvalidInputError
from domain.text import checked_optional_text, checked_text


def test_lengths_count_code_points_not_bytes() -> None:
    # Four code points, sixteen UTF-8 bytes.
    assert checked_text("f", "😀😀😀😀", min_length=1, max_length=4) == "😀😀😀😀"
    with pytest.raises(InvalidInputError):
        checked_text("f", "😀" * 5, min_length=1, max_length=4)


@pytest.mark.parametrize("value", ["", "abcdef"])
def test_out_of_bounds_names_the_field(value: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        checked_text("title", value, min_length=1, max_length=5)
    [problem] = raised.value.problems
    assert problem.field == "title"
    assert "1 to 5" in problem.message


@pytest.mark.parametrize("value", ["a\x00", "\x00", "ok\x00ok"])
def test_nul_is_refused(value: str) -> None:
    with pytest.raises(InvalidInputError, match="NUL"):
        checked_text("title", value, min_length=0, max_length=100)


def test_optional_text_lets_none_through_and_checks_the_rest() -> None:
    assert checked_optional_text("d", None, min_length=1, max_length=2) is None
    assert checked_optional_text("d", "ab", min_length=1, max_length=2) == "ab"
    with pytest.raises(InvalidInputError):
        checked_optional_text("d", "abc", min_length=1, max_length=2)
