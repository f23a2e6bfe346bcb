"""The Category aggregate: a per-user label, its name unique per user ignoring case."""

import re
from dataclasses import dataclass
from datetime import datetime

from domain.errors import InvalidInputError
from domain.ids import CategoryId, UserId
from domain.text import canonical, checked_text, fold_case
from domain.unset import UNSET, Unset

NAME_MIN_LENGTH = 1
NAME_MAX_LENGTH = 64
# The owner already has a category of that name (in any letter case).
NAME_TAKEN = "category name already taken"
COLOR_PATTERN = "^#[0-9a-fA-F]{6}$"
_COLOR = re.compile(COLOR_PATTERN)


def checked_name(value: str) -> str:
    """A category name of 1..64 characters."""
    return checked_text("name", value, min_length=NAME_MIN_LENGTH, max_length=NAME_MAX_LENGTH)


def normalized_color(value: str | None) -> str | None:
    """``#rrggbb`` in lower case, or ``None``; any other form is invalid."""
    if value is None:
        return None
    if not _COLOR.fullmatch(value):
        raise InvalidInputError.for_field("color", "must be a colour as #rrggbb")
    return value.lower()


def name_key(name: str) -> str:
    """The form under which two names count as the same: case ignored in every script,
    composed and decomposed accents alike. Stores keep it beside the name.
    """
    return fold_case(canonical(name))


@dataclass(frozen=True, slots=True)
class NewCategory:
    """A category to create for ``owner_id``."""

    owner_id: UserId
    name: str
    color: str | None = None

    def __post_init__(self) -> None:
        checked_name(self.name)
        object.__setattr__(self, "color", normalized_color(self.color))


@dataclass(frozen=True, slots=True)
class CategoryChanges:
    """A partial update: fields left ``UNSET`` keep their value."""

    name: str | Unset = UNSET
    color: str | Unset | None = UNSET

    def __post_init__(self) -> None:
        if self.name is not UNSET:
            checked_name(self.name)
        if self.color is not UNSET:
            object.__setattr__(self, "color", normalized_color(self.color))

    def as_dict(self) -> dict[str, object]:
        """Only the fields that were given."""
        return {k: v for k, v in (("name", self.name), ("color", self.color)) if v is not UNSET}


@dataclass(frozen=True, slots=True)
class Category:
    """A stored category."""

    id: CategoryId
    owner_id: UserId
    name: str
    color: str | None
    created_at: datetime
    updated_at: datetime
