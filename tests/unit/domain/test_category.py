"""Category invariants: bounded names, colours as lower-case ``#rrggbb``, case-blind keys."""

import uuid

import pytest

from domain.category import (
    NAME_MAX_LENGTH,
    CategoryChanges,
    NewCategory,
    name_key,
    normalized_color,
)
from domain.errors import InvalidInputError
from domain.ids import UserId
from domain.unset import UNSET

OWNER = UserId(uuid.uuid4())


@pytest.mark.parametrize(
    ("given", "stored"), [("#ABCDEF", "#abcdef"), ("#a1B2c3", "#a1b2c3"), (None, None)]
)
def test_colour_is_lower_cased(given: str | None, stored: str | None) -> None:
    assert normalized_color(given) == stored
    assert NewCategory(OWNER, "n", given).color == stored


@pytest.mark.parametrize("colour", ["", "abcdef", "#abc", "#abcdefa", "#ghijkl", " #abcdef"])
def test_bad_colours_are_refused(colour: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        normalized_color(colour)
    assert [p.field for p in raised.value.problems] == ["color"]


def test_colour_with_a_trailing_newline_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        normalized_color("#abcdef\n")


def test_name_bounds_in_code_points() -> None:
    assert NewCategory(OWNER, "é" * NAME_MAX_LENGTH).name == "é" * NAME_MAX_LENGTH
    for bad in ("", "é" * (NAME_MAX_LENGTH + 1), "a\x00"):
        with pytest.raises(InvalidInputError):
            NewCategory(OWNER, bad)


def test_name_key_ignores_case() -> None:
    assert name_key("Work") == name_key("WORK") == name_key("work")
    assert name_key("Work") != name_key("Home")


def test_changes_validate_and_keep_only_given_fields() -> None:
    assert CategoryChanges().as_dict() == {}
    assert CategoryChanges(name="Job").as_dict() == {"name": "Job"}
    assert CategoryChanges(color="#ABCDEF").as_dict() == {"color": "#abcdef"}
    # None is a value (clear the colour), unlike UNSET.
    assert CategoryChanges(color=None).as_dict() == {"color": None}
    assert CategoryChanges(name=UNSET, color=UNSET).as_dict() == {}
    with pytest.raises(InvalidInputError):
        CategoryChanges(name="")
    with pytest.raises(InvalidInputError):
        CategoryChanges(color="red")
